package dev.streamloop.engine.sql;

import dev.streamloop.engine.RowFailures;
import dev.streamloop.engine.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A left, right or full outer join of two streams with a time range, as Spark 4's stream-stream
 * join: the inner join's pairs ({@link StreamingJoinQuery}), and each row of an outer side that
 * never matched emitted with NULLs for the other side when the join forgets it, that is once the
 * watermark shows that no future row can match it. Each kept row carries whether it has matched
 * (Spark's "matched" flag), set when a pair with it passes the join's whole condition, which is why
 * the pairs are checked here ({@code matches}) and not above the join.
 *
 * <p>The sides' rows arrive with one more column than the joined row has of them: whether they pass
 * the conditions of the join that read only their side. A row of an outer side that fails them can
 * match nothing and is emitted with NULLs at once; a row of the other side that fails them is
 * dropped (both as Spark). That column then holds the row's matched flag in the state.
 */
final class StreamingOuterJoinQuery extends StreamJoinQuery {
  static final String CANDIDATES_TABLE = "$candidates";

  private final boolean leftOuter;
  private final boolean rightOuter;
  private final CalciteQuery matches;

  /** A pair of rows whose keys are equal, by the kept (or input) row of each side. */
  private record Candidate(Object[] left, Object[] right) {}

  StreamingOuterJoinQuery(
      CalciteQuery left,
      CalciteQuery right,
      JoinSide leftSide,
      JoinSide rightSide,
      JoinTimeBounds bounds,
      boolean leftOuter,
      boolean rightOuter,
      CalciteQuery matches,
      CalciteQuery above,
      OperatorState state) {
    super(left, right, leftSide, rightSide, bounds, above, state);
    this.leftOuter = leftOuter;
    this.rightOuter = rightOuter;
    this.matches = matches;
  }

  @Override
  public String failingExpression(RuntimeException e) {
    String failing = matches.failingExpression(e);
    return failing != null ? failing : super.failingExpression(e);
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
    List<Candidate> candidates = new ArrayList<>();
    List<Object[]> unmatched = new ArrayList<>();
    List<Object[]> rightRows = new ArrayList<>();
    droppedInBatch = 0;
    updatedInBatch = 0;
    try {
      for (Object[] row : failures.guard(below.execute(inputs, batchTimestampMs))) {
        if (admitted(leftSide, leftOuter, row, lateAtOrBelow, unmatched)) {
          lookUp(
              store, touched, rightSide, leftSide.stateKey(rightSide, row), row, true, candidates);
          keep(store, touched, leftSide, row); // this batch's right rows may match it
        }
      }
      for (Object[] row : failures.guard(right.execute(inputs, batchTimestampMs))) {
        if (admitted(rightSide, rightOuter, row, lateAtOrBelow, unmatched)) {
          lookUp(
              store, touched, leftSide, rightSide.stateKey(leftSide, row), row, false, candidates);
          rightRows.add(row);
        }
      }
      List<Object[]> joined = pairs(candidates, failures, batchTimestampMs);
      candidates.clear();
      for (Object[] row : rightRows) {
        // Spark keeps a right row this batch forgets only to emit it unmatched when it does
        if (rightSide.time(row) > keepRightAbove
            || (rightOuter && row[rightSide.width()] != Boolean.TRUE)) {
          keep(store, touched, rightSide, row);
        }
      }
      rightRows.clear();
      store(store, touched);
      joined.addAll(unmatched);
      if (watermarkMs > 0) {
        forget(
            store,
            keepLeftAbove(watermarkMs),
            keepRightAbove,
            (side, values, at) -> {
              if ((side == leftSide ? leftOuter : rightOuter)
                  && values[at + side.width()] != Boolean.TRUE) {
                joined.add(withNulls(side, values, at)); // it never matched
              }
            });
      }
      return failures.guard(above.execute(Map.of(JOINED_TABLE, joined), batchTimestampMs));
    } catch (OutOfMemoryError e) {
      touched.clear();
      candidates.clear();
      unmatched.clear();
      throw state.joinOutOfMemory();
    }
  }

  /**
   * Whether {@code row} takes part in the join: not late, with an event time, passing the
   * conditions on its side alone (else emitted at once with NULLs when its side is outer), and with
   * a key (else it matches nothing: kept to be emitted with NULLs only when its side is outer).
   */
  private boolean admitted(
      JoinSide side, boolean outer, Object[] row, long lateAtOrBelow, List<Object[]> unmatched) {
    if (lateOrTimeless(side, row, lateAtOrBelow)) {
      return false;
    }
    if (row[side.width()] != Boolean.TRUE) {
      if (outer) {
        unmatched.add(withNulls(side, row, 0));
      }
      return false;
    }
    row[side.width()] = Boolean.FALSE; // from here on: whether it has matched
    return !side.hasNullKey(row) || outer;
  }

  /** Pairs {@code row} with each row kept under {@code stateKey} on {@code side}. */
  private void lookUp(
      StateStore store,
      Map<List<Object>, List<Object[]>> touched,
      JoinSide side,
      List<Object> stateKey,
      Object[] row,
      boolean rowIsLeft,
      List<Candidate> candidates) {
    if (stateKey.subList(1, stateKey.size()).contains(null)) {
      return; // a NULL key matches nothing
    }
    List<Object[]> kept = touched.get(stateKey);
    if (kept == null) {
      Object[] value = store.get(stateKey);
      if (value == null) {
        return;
      }
      // in the batch's map, so that a match marks the kept row itself
      kept = side.decode(value);
      touched.put(stateKey, kept);
    }
    for (Object[] other : kept) {
      candidates.add(rowIsLeft ? new Candidate(row, other) : new Candidate(other, row));
    }
  }

  /** The candidates whose pair passes the join's condition, marking both rows matched. */
  private List<Object[]> pairs(List<Candidate> candidates, RowFailures failures, long timestamp) {
    List<Object[]> numbered = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      Object[] pair = JoinSide.joined(leftSide, c.left(), 0, rightSide, c.right(), 0, 1);
      pair[pair.length - 1] = i;
      numbered.add(pair);
    }
    List<Object[]> joined = new ArrayList<>();
    Iterable<Object[]> passed = matches.execute(Map.of(CANDIDATES_TABLE, numbered), timestamp);
    for (Object[] match : failures.guard(passed)) {
      Candidate c = candidates.get((Integer) match[0]);
      c.left()[leftSide.width()] = Boolean.TRUE;
      c.right()[rightSide.width()] = Boolean.TRUE;
      joined.add(JoinSide.joined(leftSide, c.left(), 0, rightSide, c.right(), 0));
    }
    return joined;
  }

  private static void keep(
      StateStore store, Map<List<Object>, List<Object[]>> touched, JoinSide side, Object[] row) {
    touched.computeIfAbsent(side.stateKey(side, row), k -> side.decode(store.get(k))).add(row);
  }

  /** A joined row of {@code side}'s row at {@code at} with NULLs for the other side. */
  private Object[] withNulls(JoinSide side, Object[] values, int at) {
    return side == leftSide
        ? JoinSide.joined(leftSide, values, at, rightSide, null, 0)
        : JoinSide.joined(leftSide, null, 0, rightSide, values, at);
  }
}
