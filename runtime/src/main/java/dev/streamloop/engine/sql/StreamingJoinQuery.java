package dev.streamloop.engine.sql;

import dev.streamloop.engine.RowFailures;
import dev.streamloop.engine.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An inner join of two streams with a time range, as Spark's stream-stream join: each side's rows
 * are kept in the state store by join key ({@link JoinSide}); a batch joins its left rows with the
 * right rows kept so far, keeps them, then joins its right rows with the left rows kept (this
 * batch's included), and keeps them. A row at or below the previous batch's watermark is late,
 * dropped and counted; a right row that no future left row can match (at or below the watermark
 * plus its side's lower offset, {@link JoinTimeBounds}) is not kept, and kept rows that reach that
 * point are forgotten after the batch (a left row is kept until then even when it is already there:
 * this batch's right rows may match it, as in Spark 4). The joined pairs go through the join's
 * whole condition and what the query computes above it.
 */
final class StreamingJoinQuery extends StreamJoinQuery {
  StreamingJoinQuery(
      CalciteQuery left,
      CalciteQuery right,
      JoinSide leftSide,
      JoinSide rightSide,
      JoinTimeBounds bounds,
      CalciteQuery above,
      OperatorState state) {
    super(left, right, leftSide, rightSide, bounds, above, state);
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
    long keepRightAbove = keepRightAbove(watermarkMs);
    long lateAtOrBelow = lateEventsWatermarkMs > 0 ? lateEventsWatermarkMs : Long.MIN_VALUE;
    Map<List<Object>, List<Object[]>> touched = new HashMap<>();
    List<Object[]> joined = new ArrayList<>();
    droppedInBatch = 0;
    updatedInBatch = 0;
    try {
      for (Object[] row : failures.guard(below.execute(inputs, batchTimestampMs))) {
        if (lateOrTimeless(leftSide, row, lateAtOrBelow) || leftSide.hasNullKey(row)) {
          continue; // a NULL key matches nothing
        }
        forEachKept(
            store,
            touched,
            rightSide,
            leftSide.stateKey(rightSide, row),
            (values, at) -> joined.add(JoinSide.joined(leftSide, row, 0, rightSide, values, at)));
        // kept even when this batch forgets it: this batch's right rows may still match it
        keep(store, touched, leftSide, row, Long.MIN_VALUE);
      }
      for (Object[] row : failures.guard(right.execute(inputs, batchTimestampMs))) {
        if (lateOrTimeless(rightSide, row, lateAtOrBelow) || rightSide.hasNullKey(row)) {
          continue;
        }
        forEachKept(
            store,
            touched,
            leftSide,
            rightSide.stateKey(leftSide, row),
            (values, at) -> joined.add(JoinSide.joined(leftSide, values, at, rightSide, row, 0)));
        keep(store, touched, rightSide, row, keepRightAbove);
      }
      store(store, touched);
    } catch (OutOfMemoryError e) {
      touched.clear();
      joined.clear();
      throw state.joinOutOfMemory();
    }
    if (watermarkMs > 0) {
      forget(store, keepLeftAbove(watermarkMs), keepRightAbove, null);
    }
    return failures.guard(above.execute(Map.of(JOINED_TABLE, joined), batchTimestampMs));
  }

  /** Each row kept under {@code stateKey} on {@code side}, this batch's changes included. */
  private static void forEachKept(
      StateStore store,
      Map<List<Object>, List<Object[]>> touched,
      JoinSide side,
      List<Object> stateKey,
      JoinSide.RowAt action) {
    List<Object[]> rows = touched.get(stateKey);
    if (rows != null) {
      rows.forEach(row -> action.accept(row, 0));
    } else {
      side.forEach(store.get(stateKey), action);
    }
  }

  private static void keep(
      StateStore store,
      Map<List<Object>, List<Object[]>> touched,
      JoinSide side,
      Object[] row,
      long keepAbove) {
    if (side.time(row) <= keepAbove) {
      return; // no future row of the other side can match it
    }
    List<Object> stateKey = side.stateKey(side, row);
    touched.computeIfAbsent(stateKey, k -> side.decode(store.get(k))).add(row);
  }
}
