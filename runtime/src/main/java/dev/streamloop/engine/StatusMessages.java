package dev.streamloop.engine;

/** Spark's status messages, so dashboards read the same. */
public final class StatusMessages {
  public static final String WAITING_FOR_DATA = "Waiting for data to arrive";
  public static final String WAITING_FOR_TRIGGER = "Waiting for next trigger";

  /** Ours: a source or sink is unavailable and the batch waits to be retried. */
  public static final String RETRYING = "Retrying";

  /** The progress message of a batch that waits for {@code reason}. */
  public static String retrying(long batchId, String reason, long delayMs) {
    return RETRYING + " batch " + batchId + " in " + delayMs + " ms: " + reason;
  }

  private StatusMessages() {}
}
