package dev.streamloop.engine;

/** Receives the loop's events; the runner forwards them to status, metrics and logs. */
public interface ProgressListener {
  /** The query started (after recovery), with its id and this run's id. */
  default void onStarted(String queryId, String runId) {}

  /** A trigger ended: a batch ran, or (at most every idle interval) nothing was new. */
  default void onProgress(StreamingQueryProgress progress) {}

  /**
   * A source or sink was unavailable: the loop retries in {@code delayMs}; {@code reason} names
   * what failed (never a secret). Attempt 1 is the first retry.
   */
  default void onRetry(long batchId, String reason, int attempt, long delayMs) {}

  /** The loop ended: {@code error} is null when it stopped or finished normally. */
  default void onTerminated(Throwable error) {}
}
