package dev.streamloop.engine.sql;

import dev.streamloop.engine.OutputMode;
import dev.streamloop.engine.RowFailures;
import dev.streamloop.engine.StreamingQueryProgress.StateOperatorProgress;
import dev.streamloop.engine.state.StateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A query with one GROUP BY, split where Calcite planned the Aggregate: the compiled part below it
 * turns each batch's input into (group columns, arguments) rows; the aggregation adds them to the
 * groups kept in a {@link StateStore} (batch N reads version N, commits N+1 after the sinks); the
 * compiled part above it (HAVING, expressions, ORDER BY in Complete mode) runs over the groups the
 * output mode emits: all of them (Complete), those the batch changed (Update), or those the
 * watermark closed (Append).
 */
final class StreamingAggregateQuery extends StatefulQuery {
  static final String GROUPS_TABLE = "$groups";
  private static final long HEAP_CHECK_INTERVAL = 100_000;

  private final int groupColumns;
  private final AggregateFunctions functions;
  private final OutputMode mode;

  /** The group column that is event time (window_end, or a watermarked column), or -1. */
  private final int eventTimeKey;

  private StateStore store;
  private long updatedInBatch;
  private long droppedInBatch;

  StreamingAggregateQuery(
      CalciteQuery below,
      int groupColumns,
      AggregateFunctions functions,
      CalciteQuery above,
      OutputMode mode,
      OperatorState state,
      int eventTimeKey) {
    super(below, above, state);
    this.eventTimeKey = eventTimeKey;
    this.groupColumns = groupColumns;
    this.functions = functions;
    this.mode = mode;
  }

  @Override
  public boolean hasEventTimeKey() {
    return eventTimeKey >= 0;
  }

  @Override
  public boolean actsOnWatermark() {
    return eventTimeKey >= 0 && mode != OutputMode.COMPLETE;
  }

  @Override
  public String failingExpression(RuntimeException e) {
    return below.failingExpression(e);
  }

  /**
   * Spark's rules with a watermark (append and update): a row whose event time (its window's end)
   * is at or below the previous batch's watermark is dropped and counted, and a group whose event
   * time is at or below this batch's watermark is evicted: emitted then (append), or silently after
   * its last update (update). Complete mode neither drops nor evicts.
   */
  @Override
  public Iterable<Object[]> execute(
      long batchId,
      long watermarkMs,
      long lateEventsWatermarkMs,
      Map<String, Iterable<Object[]>> inputs,
      long batchTimestampMs,
      RowFailures failures) {
    store = state.storeFor(batchId);
    boolean watermarked = actsOnWatermark() && watermarkMs > 0;
    droppedInBatch = 0;
    try {
      aggregate(
          failures.guard(below.execute(inputs, batchTimestampMs)),
          watermarked && lateEventsWatermarkMs > 0,
          lateEventsWatermarkMs);
    } catch (OutOfMemoryError e) {
      store = null;
      throw state.outOfMemory();
    }
    Map<List<Object>, Object[]> changed = store.changes();
    updatedInBatch = changed.size();
    List<Object[]> groups = new ArrayList<>();
    if (mode == OutputMode.COMPLETE) {
      store.forEach((key, groupState) -> groups.add(row(key, groupState)));
    } else if (mode == OutputMode.UPDATE) {
      changed.forEach((key, groupState) -> groups.add(row(key, groupState)));
    }
    if (watermarked) {
      List<List<Object>> evicted = new ArrayList<>();
      store.forEach(
          (key, groupState) -> {
            if (closed(key.get(eventTimeKey), watermarkMs)) {
              evicted.add(key);
              if (mode == OutputMode.APPEND) {
                groups.add(row(key, groupState));
              }
            }
          });
      evicted.forEach(store::remove);
    }
    return failures.guardAggregated(above.execute(Map.of(GROUPS_TABLE, groups), batchTimestampMs));
  }

  /**
   * Adds the batch's rows to their groups, in place; checks every 100,000 rows that what the store
   * holds on the heap (every group, or with RocksDB the batch's changed groups) still fits, so that
   * the runner stops with a message instead of an OOM.
   */
  private void aggregate(Iterable<Object[]> rows, boolean dropsLate, long lateEventsWatermarkMs) {
    long sinceCheck = 0;
    for (Object[] row : rows) {
      if (dropsLate && closed(row[eventTimeKey], lateEventsWatermarkMs)) {
        droppedInBatch++;
        continue;
      }
      functions.add(
          store.update(Arrays.asList(Arrays.copyOf(row, groupColumns)), functions::empty), row);
      if (++sinceCheck == HEAP_CHECK_INTERVAL) {
        state.checkHeap();
        sinceCheck = 0;
      }
    }
  }

  private static boolean closed(Object eventTime, long watermarkMs) {
    return eventTime instanceof Long t && t <= watermarkMs;
  }

  private Object[] row(List<Object> key, Object[] groupState) {
    Object[] row = new Object[groupColumns + functions.size()];
    for (int i = 0; i < groupColumns; i++) {
      row[i] = key.get(i);
    }
    for (int i = 0; i < functions.size(); i++) {
      row[groupColumns + i] = functions.result(groupState, i);
    }
    return row;
  }

  @Override
  public void close() {
    store = null;
    state.close();
  }

  @Override
  public List<StateOperatorProgress> commitState(long batchId) {
    return List.of(state.commit("stateStoreSave", updatedInBatch, droppedInBatch));
  }
}
