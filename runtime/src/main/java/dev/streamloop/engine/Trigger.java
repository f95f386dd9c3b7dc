package dev.streamloop.engine;

/** When batches run (Spark's triggers). */
public sealed interface Trigger {

  /**
   * The next batch as soon as the previous one has finished; when there is no new data, poll again
   * after a pause that doubles from {@code minIdleMs} up to {@code maxIdleMs} (Spark polls every 10
   * ms, forever) and resets when data arrives.
   */
  record BackToBack(long minIdleMs, long maxIdleMs) implements Trigger {
    public static final BackToBack DEFAULT = new BackToBack(10, 1_000);
  }

  /**
   * A trigger at every multiple of {@code intervalMs} on the clock; the first one at once. A batch
   * that overruns is followed at once, then triggers re-align to the grid.
   */
  record ProcessingTime(long intervalMs) implements Trigger {
    public ProcessingTime {
      if (intervalMs <= 0) {
        throw new IllegalArgumentException("processingTime interval must be positive");
      }
    }

    /** The first grid time after {@code triggerStartMs}. */
    public long nextTriggerTime(long triggerStartMs) {
      return triggerStartMs / intervalMs * intervalMs + intervalMs;
    }
  }

  /** Process what is available at start (in as many batches as read limits need), then stop. */
  record AvailableNow() implements Trigger {}
}
