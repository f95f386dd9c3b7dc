package dev.streamloop.engine.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * One side of a join of two streams: where its join keys and event time are in its rows, and how
 * its kept rows sit in the state store (key {@code [side, join keys...]}, value the rows one after
 * the other, {@code stored} values each).
 *
 * @param name "L" or "R", the first element of the side's state keys.
 * @param keys The join key columns in the side's rows.
 * @param time The event-time column in the side's rows.
 * @param width How many columns of the side's rows are in the joined row.
 * @param stored How many values a kept row has: its {@code width} columns and, in an outer join,
 *     whether it has matched a row of the other side yet (at index {@code width}).
 */
record JoinSide(String name, int[] keys, int time, int width, int stored) {

  /** A side of an inner join: its kept rows are its columns. */
  JoinSide(String name, int[] keys, int time, int width) {
    this(name, keys, time, width, width);
  }

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
  void forEach(Object[] value, RowAt action) {
    if (value != null) {
      for (int at = 0; at < value.length; at += stored) {
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
    for (int at = 0; at < value.length; at += stored) {
      if (keptAfter(value, at, keepAbove)) {
        keep++;
      }
    }
    if (keep == value.length / stored) {
      return value;
    }
    if (keep == 0) {
      return null;
    }
    Object[] kept = new Object[keep * stored];
    int to = 0;
    for (int at = 0; at < value.length; at += stored) {
      if (keptAfter(value, at, keepAbove)) {
        System.arraycopy(value, at, kept, to, stored);
        to += stored;
      }
    }
    return kept;
  }

  /**
   * Whether the row in {@code values} from {@code at} is kept: its time above {@code keepAbove}.
   */
  boolean keptAfter(Object[] values, int at, long keepAbove) {
    return values[at + time] instanceof Long t && t > keepAbove;
  }

  List<Object[]> decode(Object[] value) {
    List<Object[]> rows = new ArrayList<>();
    if (value != null) {
      for (int at = 0; at < value.length; at += stored) {
        Object[] row = new Object[stored];
        System.arraycopy(value, at, row, 0, stored);
        rows.add(row);
      }
    }
    return rows;
  }

  /** The state value of {@code rows}; null when there are none. */
  Object[] encode(List<Object[]> rows) {
    if (rows.isEmpty()) {
      return null;
    }
    Object[] value = new Object[rows.size() * stored];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, value, i * stored, stored);
    }
    return value;
  }

  /**
   * A joined row: {@code left.width} values of {@code l} from {@code lAt}, then the right's (NULLs
   * for a side whose values are null).
   */
  static Object[] joined(JoinSide left, Object[] l, int lAt, JoinSide right, Object[] r, int rAt) {
    return joined(left, l, lAt, right, r, rAt, 0);
  }

  /** A joined row with {@code extra} empty values at its end. */
  static Object[] joined(
      JoinSide left, Object[] l, int lAt, JoinSide right, Object[] r, int rAt, int extra) {
    Object[] row = new Object[left.width + right.width + extra];
    if (l != null) {
      System.arraycopy(l, lAt, row, 0, left.width);
    }
    if (r != null) {
      System.arraycopy(r, rAt, row, left.width, right.width);
    }
    return row;
  }
}
