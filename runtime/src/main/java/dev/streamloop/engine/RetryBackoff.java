package dev.streamloop.engine;

/**
 * How long the loop waits before retrying a batch whose source or sink was unavailable: doubling
 * from {@code initialMs} up to {@code maxMs}, without a limit on attempts (a streaming query waits
 * for its brokers and database to come back, as a consumer does).
 */
public record RetryBackoff(long initialMs, long maxMs) {
  public static final RetryBackoff DEFAULT = new RetryBackoff(1_000, 30_000);

  /** The wait before attempt {@code attempt} (1 = the first retry). */
  public long delayMs(int attempt) {
    long delay = initialMs;
    for (int i = 1; i < attempt && delay < maxMs; i++) {
      delay *= 2;
    }
    return Math.min(delay, maxMs);
  }
}
