package dev.streamloop.engine;

import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.state.StateStoreSettings;
import java.util.List;
import java.util.Map;

/**
 * The query, compiled once and run for every batch. A stateful query (an aggregation) also keeps
 * state across batches: the loop opens it on the checkpoint before the first batch and commits its
 * state after the sinks have taken a batch's result and before commits/N.
 */
public interface BatchQuery {
  List<Column> outputColumns();

  /**
   * Runs the query over one batch: {@code inputs} holds each source's rows by table name, and
   * CURRENT_TIMESTAMP is {@code batchTimestampMs}, so that a re-run batch gives the same answer.
   */
  Iterable<Object[]> execute(Map<String, Iterable<Object[]>> inputs, long batchTimestampMs);

  /**
   * Runs batch {@code batchId} with the batch's event-time watermark; a stateful query reads the
   * state version of that batch, drops rows that were late already for the batch before ({@code
   * lateEventsWatermarkMs}, what batch N-1 ran with: Spark 3.4+'s watermark for late events) and
   * evicts what {@code watermarkMs} closed. Rows the query cannot evaluate go through {@code
   * failures}.
   */
  default Iterable<Object[]> execute(
      long batchId,
      long watermarkMs,
      long lateEventsWatermarkMs,
      Map<String, Iterable<Object[]>> inputs,
      long batchTimestampMs,
      RowFailures failures) {
    return failures.guard(execute(inputs, batchTimestampMs));
  }

  /**
   * The query's expression (or expressions) that can fail with {@code e}, in words with their place
   * in the SQL, such as {@code "amount / qty" (line 1, column 8)}; null when unknown.
   */
  default String failingExpression(RuntimeException e) {
    return null;
  }

  /**
   * Whether a watermark that passed the last batch's can change the output or the state by itself
   * (append emits closed windows, update evicts them): then a batch runs without new data.
   */
  default boolean actsOnWatermark() {
    return false;
  }

  /**
   * Whether rows at or below the previous batch's watermark are dropped as late: wherever the
   * watermark acts, and in Complete mode too for session windows (as Spark drops them there).
   */
  default boolean dropsLateRows() {
    return actsOnWatermark();
  }

  /** Whether the aggregation groups by an event-time column (or its window) with a watermark. */
  default boolean hasEventTimeKey() {
    return false;
  }

  /**
   * What the query's state holds (as {@code state/0/_schema}), to tell whether an edited query can
   * use it; null for a stateless query.
   */
  default String stateSchema() {
    return null;
  }

  /**
   * Why state kept under {@code kept} (a {@code state/0/_schema} file's text) cannot serve this
   * query, one reason per grouping column, aggregate or window that changed; empty when it can.
   */
  default List<String> stateDifferences(String kept) {
    return List.of();
  }

  /** Whether the query keeps state (output modes Update and Complete mean something). */
  default boolean stateful() {
    return false;
  }

  /** Before the first batch: where the state lives, in which store, how many versions to keep. */
  default void open(Checkpoint checkpoint, int retainBatches, StateStoreSettings state) {}

  /** After the last batch: releases the state store (native memory, local files). */
  default void close() {}

  /** After the sinks took batch {@code batchId}: makes its state durable; figures for progress. */
  default List<StreamingQueryProgress.StateOperatorProgress> commitState(long batchId) {
    return List.of();
  }
}
