package dev.streamloop.engine.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * One side of a join of two streams: where its join keys and event time are in its rows, and how
 * its kept rows sit in the state store (key {@code [side, join keys...]}, value the rows one after
 * the other, {@code width} values each).
 *
 * @param name "L" or "R", the first element of the side's state keys.
 * @param keys The join key columns in the side's rows.
 * @param time The event-time column in the side's rows.
 * @param width How many columns the side's rows have.
 */
record JoinSide(String name, int[] keys, int time, int width) {

  /** The state key on {@code side} that holds the rows this side's {@code row} matches. */
  List<Object> stateKey(JoinSide side, Object[] row) {
    List<Object> stateKey = new ArrayList<>(keys.length + 1);
    stateKey.add(side.name());
    for (int k : keys) {
      stateKey.add(row[k]);
    }
    return stateKey;
  }

  boolean hasNullKey(Object[] row) {
    for (int k : keys) {
      if (row[k] == null) {
        return true;
      }
    }
    return false;
  }

  /** The row's event time; a row without one sorts below every watermark. */
  long time(Object[] row) {
    return row[time] instanceof Long t ? t : Long.MIN_VALUE;
  }

  /** Where a kept row is: in {@code values} from {@code offset}, {@code width} values. */
  interface RowAt {
    void accept(Object[] values, int offset);
  }

  /** Each row of a state value, where it is (not copied out). */
  static void forEach(Object[] value, int width, RowAt action) {
    if (value != null) {
      for (int at = 0; at < value.length; at += width) {
        action.accept(value, at);
      }
    }
  }

  /**
   * The state value without its rows at or below {@code keepAbove}: {@code value} itself when it
   * loses none, null when it loses all.
   */
  Object[] keptAfter(Object[] value, long keepAbove) {
    int keep = 0;
    for (int at = 0; at < value.length; at += width) {
      if (value[at + time] instanceof Long t && t > keepAbove) {
        keep++;
      }
    }
    if (keep == value.length / width) {
      return value;
    }
    if (keep == 0) {
      return null;
    }
    Object[] kept = new Object[keep * width];
    int to = 0;
    for (int at = 0; at < value.length; at += width) {
      if (value[at + time] instanceof Long t && t > keepAbove) {
        System.arraycopy(value, at, kept, to, width);
        to += width;
      }
    }
    return kept;
  }

  static List<Object[]> decode(Object[] value, int width) {
    List<Object[]> rows = new ArrayList<>();
    if (value != null) {
      for (int at = 0; at < value.length; at += width) {
        Object[] row = new Object[width];
        System.arraycopy(value, at, row, 0, width);
        rows.add(row);
      }
    }
    return rows;
  }

  /** The state value of {@code rows}; null when there are none. */
  static Object[] encode(List<Object[]> rows, int width) {
    if (rows.isEmpty()) {
      return null;
    }
    Object[] value = new Object[rows.size() * width];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, value, i * width, width);
    }
    return value;
  }
}
