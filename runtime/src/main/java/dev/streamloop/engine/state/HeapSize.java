package dev.streamloop.engine.state;

import java.math.BigDecimal;
import java.util.List;

/** Rough heap sizes of state values on a 64-bit JVM with compressed references. */
public final class HeapSize {
  /** A HashMap node and its share of the table. */
  static final long MAP_ENTRY = 48;

  private HeapSize() {}

  /**
   * The heap {@code entries} take, roughly: the map's own structures plus the values, sized from a
   * sample of 64 entries (exact sizing would cost more than the aggregation).
   */
  public static long ofEntries(java.util.Map<List<Object>, Object[]> entries) {
    if (entries.isEmpty()) {
      return 0;
    }
    long sampled = 0;
    int n = 0;
    for (java.util.Map.Entry<List<Object>, Object[]> entry : entries.entrySet()) {
      sampled += of(entry.getKey()) + (entry.getValue() == null ? 0 : of(entry.getValue()));
      if (++n == 64) {
        break;
      }
    }
    return entries.size() * (sampled / n + MAP_ENTRY);
  }

  static long of(List<Object> values) {
    long size = 24 + 16 + 4L * values.size(); // list wrapper, array header, references
    for (Object value : values) {
      size += value(value);
    }
    return size;
  }

  static long of(Object[] values) {
    long size = 16 + 4L * values.length;
    for (Object value : values) {
      size += value(value);
    }
    return size;
  }

  private static long value(Object value) {
    if (value == null || value instanceof Boolean) {
      return 0;
    }
    if (value instanceof String s) {
      return 24 + 16 + s.length();
    }
    if (value instanceof BigDecimal) {
      return 72;
    }
    if (value instanceof byte[] bytes) { // a sketch (approx_count_distinct)
      return 16 + bytes.length;
    }
    if (value instanceof org.apache.calcite.avatica.util.ByteString bytes) {
      return 40 + bytes.length();
    }
    return 16; // a boxed number
  }
}
