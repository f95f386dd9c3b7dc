package dev.streamloop.engine;

import java.util.List;
import java.util.Map;

/** An output that writes each batch's result, idempotently per batch id. */
public interface Sink extends AutoCloseable {
  String description();

  /**
   * Connects and checks the target (a table's columns, say) before the first batch. Throws {@link
   * UnavailableException} while the target cannot be reached (the loop retries), {@link
   * SinkTargetException} when it does not fit the query (the runner stops: exit 2).
   */
  default void open() {}

  /**
   * Opens the sink for a query whose checkpoint committed batches up to {@code committedBatch} (-1:
   * none): a sink that keeps its own record of batches checks it against that. Calls {@link
   * #open()} unless overridden.
   */
  default void open(long committedBatch) {
    open();
  }

  /**
   * Writes batch {@code batchId}; a batch id that was already written must be skipped (a re-run
   * after a crash). Returns the rows written, or -1 when unknown.
   */
  long addBatch(long batchId, List<Column> columns, Iterable<Object[]> rows);

  /** Sink-specific figures of the last batch, for progress. */
  default Map<String, String> metrics() {
    return Map.of();
  }

  @Override
  default void close() {}
}
