package dev.streamloop.engine.state;

/**
 * The state no longer fits the runner's heap: the runner stops with a message that says how to size
 * it, instead of dying of an OutOfMemoryError. Retrying cannot help (exit code 2).
 */
public class StateTooLargeException extends RuntimeException {
  private StateTooLargeException(String message) {
    super(message);
  }

  /**
   * A batch of a RocksDB-backed aggregation changed more groups than the heap can hold at once (its
   * changed groups and output rows stay on the heap until the commit).
   */
  public static StateTooLargeException batchTooLarge(
      long changed, long estimatedBytes, long maxHeapBytes) {
    return new StateTooLargeException(
        "this batch changed "
            + changed
            + " groups (about "
            + (estimatedBytes >> 20)
            + " MB on the heap until its commit), more than this runner's heap of "
            + (maxHeapBytes >> 20)
            + " MB can keep; lower the source's read limit (maxFilesPerTrigger,"
            + " maxOffsetsPerTrigger, rowsPerBatch) so that a batch changes fewer groups, or raise"
            + " spec.runner.resources.limits.memory");
  }

  /**
   * A batch of a join of two streams ran out of heap: the join holds the batch's rows and the rows
   * it keeps on the heap until the commit.
   */
  public static StateTooLargeException joinBatchTooLarge(long keptKeys, long maxHeapBytes) {
    return new StateTooLargeException(
        "a batch of the join of two streams ran out of this runner's heap of "
            + (maxHeapBytes >> 20)
            + " MB (the state held "
            + keptKeys
            + " join keys before it): the join keeps each batch's rows on the heap until the"
            + " batch commits, every row until the watermark passes its time range (in the first"
            + " batch, before any watermark, every row of both streams); lower the sources' read"
            + " limits (maxFilesPerTrigger, maxOffsetsPerTrigger, rowsPerBatch), narrow the time"
            + " range, or raise spec.runner.resources.limits.memory");
  }

  public StateTooLargeException(long keys, long estimatedBytes, long maxHeapBytes) {
    super(
        "the aggregation's state holds "
            + keys
            + " groups (about "
            + (estimatedBytes >> 20)
            + " MB on the heap), more than this runner's heap of "
            + (maxHeapBytes >> 20)
            + " MB can keep; set spec.state.store: rocksdb (the groups then live on the runner's"
            + " local volume, the state is copied across when the runner starts), raise"
            + " spec.runner.resources.limits.memory (the runner's heap is a fixed share of it;"
            + " count roughly 200 bytes per group), or keep fewer groups: a coarser GROUP BY, or"
            + " windows with a watermark so that closed ones are evicted");
  }
}
