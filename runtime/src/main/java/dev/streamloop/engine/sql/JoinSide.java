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

  List<Object> key(Object[] row) {
    List<Object> key = new ArrayList<>(keys.length);
    for (int k : keys) {
      key.add(row[k]);
    }
    return key;
  }

  List<Object> stateKey(List<Object> key) {
    List<Object> stateKey = new ArrayList<>(key.size() + 1);
    stateKey.add(name);
    stateKey.addAll(key);
    return stateKey;
  }

  /** The row's event time; a row without one sorts below every watermark. */
  long time(Object[] row) {
    return row[time] instanceof Long t ? t : Long.MIN_VALUE;
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
