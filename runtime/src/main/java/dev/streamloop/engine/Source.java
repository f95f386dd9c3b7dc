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
   * within the source's read limits; {@code start} itself when there is no new data. The engine
   * writes the offset to offsets/{@code batchId} before the batch reads it.
   */
  String planBatch(long batchId, String start);

  /**
   * Called on start for each retained offsets entry, oldest first, before any planning: a source
   * that keeps what a batch reads in its offset (the files of a file source) rebuilds from them
   * what it has already handed out.
   */
  default void restore(long batchId, String end) {}

  /**
   * Whether the source can read again what it has read (a rewind): a file source cannot, it
   * remembers every file of its retained batches as read.
   */
  default boolean replayable() {
    return true;
  }

  /**
   * Where a rewind starts this source again (the end offset of the batch a rewind records): its
   * earliest data for a null {@code timestampMs}, else the first data at or after it. Null means
   * the source's start. Sources that cannot go back refuse with a message naming themselves.
   */
  default String rewindOffset(Long timestampMs) {
    throw new IllegalArgumentException(
        description()
            + " cannot be rewound to "
            + (timestampMs == null ? "its earliest data" : "a time")
            + ": rewind it to a recorded batch (from: Batch), or start from an empty checkpoint"
            + " (spec.checkpoint.resetNonce)");
  }

  /** How {@code offset} appears in progress (a file source leaves out its file list). */
  default String progressOffset(String offset) {
    return offset;
  }

  /** The newest offset available, for progress; null when unknown. */
  default String latestOffset() {
    return null;
  }

  /**
   * What the source had not read when the last batch was planned (after that batch's end); null
   * when the source cannot tell.
   */
  default SourceLag lag() {
    return null;
  }

  /** Available-now: fix the end at what is available now; later data waits for the next run. */
  default void pinForAvailableNow() {}

  /** The rows after {@code start} up to and including {@code end}. */
  Iterator<Object[]> read(long batchId, String start, String end);

  /**
   * A row of this source that the query could not evaluate, offered to the query's bad-record
   * policy when that covers evaluation errors: true when the policy took it (counted, or written to
   * the dead letters with {@code reason}), false when the batch must fail.
   *
   * @param position Where the row came from (see {@link PositionedRows}), or null.
   * @param record The row as JSON.
   */
  default boolean takeFailedRow(String position, String reason, String record) {
    return false;
  }

  /** Batches up to {@code end} are committed: the source may clean up before it. */
  default void commit(String end) {}

  /** Source-specific figures of the last batch, such as numBadRecords. */
  default Map<String, String> metrics() {
    return Map.of();
  }

  @Override
  default void close() {}
}
