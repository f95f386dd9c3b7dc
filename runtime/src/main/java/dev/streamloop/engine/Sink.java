package dev.streamloop.engine;

import java.util.List;

/** An output that writes each batch's result, idempotently per batch id. */
public interface Sink extends AutoCloseable {
  String description();

  /**
   * Writes batch {@code batchId}; a batch id that was already written must be skipped (a re-run
   * after a crash). Returns the rows written, or -1 when unknown.
   */
  long addBatch(long batchId, List<Column> columns, Iterable<Object[]> rows);

  @Override
  default void close() {}
}
