package dev.streamloop.engine;

/**
 * A table the query joins a stream with, read whole rather than as a stream (Spark's static
 * DataFrame): a snapshot taken before the first batch that needs it, and again when it is due to be
 * refreshed. It has no offsets: a batch re-run after a crash reads the snapshot of that moment.
 */
public interface StaticTable {
  /** The SQL table name. */
  String name();

  /** The rows of the current snapshot, taking a new one first when one is due. */
  Iterable<Object[]> rows();
}
