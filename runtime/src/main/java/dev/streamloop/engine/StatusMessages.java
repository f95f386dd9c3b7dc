package dev.streamloop.engine;

/** Spark's status messages, so dashboards read the same. */
public final class StatusMessages {
  public static final String INITIALIZING = "Initializing sources";
  public static final String PROCESSING = "Processing new data";
  public static final String WAITING_FOR_DATA = "Waiting for data to arrive";
  public static final String WAITING_FOR_TRIGGER = "Waiting for next trigger";
  public static final String STOPPED = "Stopped";

  private StatusMessages() {}
}
