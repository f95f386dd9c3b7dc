package dev.streamloop.engine;

/** Spark's status messages, so dashboards read the same. */
public final class StatusMessages {
  public static final String WAITING_FOR_DATA = "Waiting for data to arrive";
  public static final String WAITING_FOR_TRIGGER = "Waiting for next trigger";

  private StatusMessages() {}
}
