package dev.streamloop.engine;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A replayable input: given the same start and end offsets it returns the same rows, which is what
 * lets the loop re-run a batch exactly. Offsets are JSON strings, opaque to the engine.
 */
public interface Source extends AutoCloseable {
  /** The table name the SQL query uses. */
  String name();

  List<Column> columns();

  /** For progress, such as FileSource[/data/in]. */
  String description();

  /**
   * The end offset of the next batch that starts at {@code start} (null: from the beginning),
   * within the source's read limits; {@code start} itself when there is no new data. May record
   * what the batch will read in the source's checkpoint log, keyed by {@code batchId}.
   */
  String planBatch(long batchId, String start);

  /** The newest offset available, for progress; null when unknown. */
  default String latestOffset() {
    return null;
  }

  /** Available-now: fix the end at what is available now; later data waits for the next run. */
  default void pinForAvailableNow() {}

  /** The rows after {@code start} up to and including {@code end}. */
  Iterator<Object[]> read(long batchId, String start, String end);

  /** Batches up to {@code end} are committed: the source may clean up before it. */
  default void commit(String end) {}

  /** Source-specific figures of the last batch, such as numBadRecords. */
  default Map<String, String> metrics() {
    return Map.of();
  }

  @Override
  default void close() {}
}
