package dev.streamloop.engine.sql;

import dev.streamloop.engine.OutputMode;
import dev.streamloop.engine.RowFailures;
import dev.streamloop.engine.StreamingQueryProgress.StateOperatorProgress;
import dev.streamloop.engine.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A query grouped by a session window, Spark's {@code session_window(ts, gap)}: each row opens its
 * own session {@code [ts, ts + gap)}, and the sessions of one key that overlap or touch merge, in
 * the batch and with those kept in the state store from earlier batches ({@link SessionList}, one
 * state entry per key). Append emits a session once the watermark reaches its end and forgets it; a
 * row whose session ends at or before the previous batch's watermark is late, dropped and counted.
 * Complete emits every session every batch and drops nothing. Update is refused, as Spark refuses
 * it ({@link SessionColumns}).
 */
final class StreamingSessionQuery extends StatefulQuery {
  private static final long HEAP_CHECK_INTERVAL = 100_000;

  private final int groupColumns;
  private final SessionColumns session;
  private final AggregateFunctions functions;
  private final OutputMode mode;
  private final boolean watermarked;

  private long updatedInBatch;
  private long droppedInBatch;

  StreamingSessionQuery(
      CalciteQuery below,
      int groupColumns,
      SessionColumns session,
      AggregateFunctions functions,
      CalciteQuery above,
      OutputMode mode,
      OperatorState state,
      boolean watermarked) {
    super(below, above, state);
    this.groupColumns = groupColumns;
    this.session = session;
    this.functions = functions;
    this.mode = mode;
    this.watermarked = watermarked;
  }

  @Override
  public boolean hasEventTimeKey() {
    return watermarked;
  }

  @Override
  public boolean actsOnWatermark() {
    return watermarked && mode == OutputMode.APPEND;
  }

  @Override
  public boolean dropsLateRows() {
    return watermarked;
  }

  @Override
  public Iterable<Object[]> execute(
      long batchId,
      long watermarkMs,
      long lateEventsWatermarkMs,
      Map<String, Iterable<Object[]>> inputs,
      long batchTimestampMs,
      RowFailures failures) {
    StateStore store = state.storeFor(batchId);
    boolean evicts = actsOnWatermark() && watermarkMs > 0;
    long lateBefore = watermarked ? lateEventsWatermarkMs : 0;
    droppedInBatch = 0;
    Map<List<Object>, SessionList> touched = new HashMap<>();
    try {
      long sinceCheck = 0;
      for (Object[] row : failures.guard(below.execute(inputs, batchTimestampMs))) {
        // Spark drops rows without an event time from session windows
        if (!(row[session.start()] instanceof Long start)
            || !(row[session.end()] instanceof Long end)) {
          continue;
        }
        if (lateBefore > 0 && end <= lateBefore) {
          droppedInBatch++;
          continue;
        }
        Object[] acc = functions.empty();
        functions.add(acc, row);
        touched
            .computeIfAbsent(key(row), k -> SessionList.decode(store.get(k), functions.slots()))
            .add(start, end, acc, functions);
        if (++sinceCheck == HEAP_CHECK_INTERVAL) {
          state.checkHeap();
          sinceCheck = 0;
        }
      }
      touched.forEach((key, sessions) -> store.put(key, sessions.encode(functions.slots())));
    } catch (OutOfMemoryError e) {
      throw state.outOfMemory();
    }
    updatedInBatch = touched.size();
    List<Object[]> rows = new ArrayList<>();
    if (mode == OutputMode.COMPLETE) {
      store.forEach(
          (key, value) ->
              SessionList.decode(value, functions.slots()).forEach(s -> rows.add(row(key, s))));
    }
    if (evicts) {
      Map<List<Object>, Object[]> kept = new HashMap<>();
      store.forEach(
          (key, value) -> {
            SessionList sessions = SessionList.decode(value, functions.slots());
            List<SessionList.Session> closed = sessions.removeClosed(watermarkMs);
            if (!closed.isEmpty()) {
              closed.forEach(s -> rows.add(row(key, s)));
              kept.put(key, sessions.encode(functions.slots()));
            }
          });
      kept.forEach(
          (key, value) -> {
            if (value == null) {
              store.remove(key);
            } else {
              store.put(key, value);
            }
          });
    }
    return failures.guardAggregated(
        above.execute(Map.of(StreamingAggregateQuery.GROUPS_TABLE, rows), batchTimestampMs));
  }

  /** The row's group columns other than the session's: what sessions merge within. */
  private List<Object> key(Object[] row) {
    List<Object> key = new ArrayList<>(groupColumns - 2);
    for (int i = 0; i < groupColumns; i++) {
      if (i != session.start() && i != session.end()) {
        key.add(row[i]);
      }
    }
    return key;
  }

  /** The aggregation's output row for one session of {@code key}. */
  private Object[] row(List<Object> key, SessionList.Session s) {
    Object[] row = new Object[groupColumns + functions.size()];
    int next = 0;
    for (int i = 0; i < groupColumns; i++) {
      if (i == session.start()) {
        row[i] = s.start();
      } else if (i == session.end()) {
        row[i] = s.end();
      } else {
        row[i] = key.get(next++);
      }
    }
    for (int i = 0; i < functions.size(); i++) {
      row[groupColumns + i] = functions.result(s.acc(), i);
    }
    return row;
  }

  @Override
  public void close() {
    state.close();
  }

  @Override
  public List<StateOperatorProgress> commitState(long batchId) {
    return List.of(state.commit("sessionWindowStateStoreSaveExec", updatedInBatch, droppedInBatch));
  }
}
