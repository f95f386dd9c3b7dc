package dev.streamloop.engine;

/**
 * A sink's target does not fit the query (a missing table or column, a type that cannot hold the
 * result): retrying cannot help, the spec or the target must change. The message names both.
 */
public final class SinkTargetException extends RuntimeException {
  public SinkTargetException(String message) {
    super(message);
  }
}
