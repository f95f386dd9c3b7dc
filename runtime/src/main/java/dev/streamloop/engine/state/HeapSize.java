package dev.streamloop.engine.state;

import java.math.BigDecimal;
import java.util.List;

/** Rough heap sizes of state values on a 64-bit JVM with compressed references. */
final class HeapSize {
  /** A HashMap node and its share of the table. */
  static final long MAP_ENTRY = 48;

  private HeapSize() {}

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
    return 16; // a boxed number
  }
}
