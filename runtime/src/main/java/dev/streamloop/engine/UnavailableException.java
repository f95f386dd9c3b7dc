package dev.streamloop.engine;

/**
 * A source or sink could not reach its system (brokers, database) in time. The batch did not
 * commit; the loop retries it with backoff instead of failing the query.
 */
public final class UnavailableException extends RuntimeException {
  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
