package dev.streamloop.engine.sql;

import dev.streamloop.engine.StreamingQueryProgress.StateOperatorProgress;
import dev.streamloop.engine.state.StateStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the joins of two streams ({@link StreamingJoinQuery}, {@link StreamingOuterJoinQuery})
 * share: both sides' compiled plans, where their keys and times are ({@link JoinSide}), the time
 * range ({@link JoinTimeBounds}), which rows are late, how a batch's changed keys reach the store,
 * and forgetting the kept rows that no future row can match.
 */
abstract class StreamJoinQuery extends StatefulQuery {
  static final String JOINED_TABLE = "$joined";

  final CalciteQuery right;
  final JoinSide leftSide;
  final JoinSide rightSide;
  final JoinTimeBounds bounds;

  long updatedInBatch;
  long droppedInBatch;

  /** A kept row that the join forgets: {@code side}'s row in {@code values} from {@code at}. */
  interface Forgotten {
    void accept(JoinSide side, Object[] values, int at);
  }

  StreamJoinQuery(
      CalciteQuery left,
      CalciteQuery right,
      JoinSide leftSide,
      JoinSide rightSide,
      JoinTimeBounds bounds,
      CalciteQuery above,
      OperatorState state) {
    super(left, above, state);
    this.right = right;
    this.leftSide = leftSide;
    this.rightSide = rightSide;
    this.bounds = bounds;
  }

  @Override
  public final boolean hasEventTimeKey() {
    return true;
  }

  @Override
  public final boolean actsOnWatermark() {
    return true; // kept rows are forgotten (outer ones emitted) as the watermark moves
  }

  @Override
  public String failingExpression(RuntimeException e) {
    String failing = right.failingExpression(e);
    return failing != null ? failing : super.failingExpression(e);
  }

  /** Kept left rows above this time may still match; all when there is no watermark yet. */
  final long keepLeftAbove(long watermarkMs) {
    return watermarkMs > 0 ? watermarkMs + bounds.leftLowerMs() : Long.MIN_VALUE;
  }

  final long keepRightAbove(long watermarkMs) {
    return watermarkMs > 0 ? watermarkMs + bounds.rightLowerMs() : Long.MIN_VALUE;
  }

  /**
   * Whether {@code row} stays out of the join: at or below {@code lateAtOrBelow} (late: dropped and
   * counted), or without an event time (within no time range, and not late either).
   */
  final boolean lateOrTimeless(JoinSide side, Object[] row, long lateAtOrBelow) {
    long time = side.time(row);
    if (time == Long.MIN_VALUE) {
      return true;
    }
    if (time <= lateAtOrBelow) {
      droppedInBatch++;
      return true;
    }
    return false;
  }

  final JoinSide side(List<Object> stateKey) {
    return stateKey.get(0).equals(leftSide.name()) ? leftSide : rightSide;
  }

  /** The batch's changed keys into the store, each leaving the map as it goes (not held twice). */
  final void store(StateStore store, Map<List<Object>, List<Object[]>> touched) {
    for (var each = touched.entrySet().iterator(); each.hasNext(); ) {
      var entry = each.next();
      store.put(entry.getKey(), side(entry.getKey()).encode(entry.getValue()));
      updatedInBatch++;
      each.remove();
    }
  }

  /**
   * Forgets the kept rows that no future row can match (at or below {@code keepLeftAbove} or {@code
   * keepRightAbove}), each shown to {@code forgotten} first when it is not null.
   */
  final void forget(
      StateStore store, long keepLeftAbove, long keepRightAbove, Forgotten forgotten) {
    Map<List<Object>, Object[]> changed = new HashMap<>();
    store.forEach(
        (key, value) -> {
          JoinSide side = side(key);
          long keepAbove = side == leftSide ? keepLeftAbove : keepRightAbove;
          Object[] kept = side.keptAfter(value, keepAbove);
          if (kept == value) {
            return;
          }
          changed.put(key, kept);
          if (forgotten != null) {
            side.forEach(
                value,
                (values, at) -> {
                  if (!side.keptAfter(values, at, keepAbove)) {
                    forgotten.accept(side, values, at);
                  }
                });
          }
        });
    changed.forEach(
        (key, value) -> {
          if (value == null) {
            store.remove(key);
          } else {
            store.put(key, value);
          }
        });
  }

  @Override
  public final void close() {
    state.close();
  }

  @Override
  public final List<StateOperatorProgress> commitState(long batchId) {
    return List.of(state.commit("symmetricHashJoin", updatedInBatch, droppedInBatch));
  }
}
