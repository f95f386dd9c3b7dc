package dev.streamloop.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spark's watermark rules: per batch each watermarked source's rows give their maximum event time
 * (all rows, late ones too); after the batch that source's watermark is max(its previous, maximum
 * minus delay); the query's watermark for the next batch is the minimum over the sources, where a
 * source that never had data counts as 0, and it never decreases. Per-source values are
 * checkpointed with each batch (offsets/N and commits/N) and restored at start ({@link #restore}),
 * so a restart resumes every source's own watermark instead of waiting for it to catch up again.
 */
final class WatermarkTracker {
  private final List<EventTimeWatermark> watermarks;
  private final long[] sourceWatermark;
  private final long[] batchMax;
  private long batchMin;
  private long batchSum;
  private long batchRows;

  WatermarkTracker(List<EventTimeWatermark> watermarks) {
    this.watermarks = watermarks;
    this.sourceWatermark = new long[watermarks.size()];
    this.batchMax = new long[watermarks.size()];
    startBatch();
  }

  /** Each source's own watermark, for the checkpoint. */
  List<Long> sourceWatermarks() {
    List<Long> values = new java.util.ArrayList<>(sourceWatermark.length);
    for (long w : sourceWatermark) {
      values.add(w);
    }
    return values;
  }

  /** Restores what {@link #sourceWatermarks()} gave (ignored if the sources changed). */
  void restore(List<Long> values) {
    if (values.size() == sourceWatermark.length) {
      for (int i = 0; i < values.size(); i++) {
        sourceWatermark[i] = values.get(i);
      }
    }
  }

  void startBatch() {
    java.util.Arrays.fill(batchMax, Long.MIN_VALUE);
    batchMin = Long.MAX_VALUE;
    batchSum = 0;
    batchRows = 0;
  }

  /** {@code rows} of source {@code source}, observed on their way to the query. */
  Iterator<Object[]> observe(int source, Iterator<Object[]> rows) {
    for (int w = 0; w < watermarks.size(); w++) {
      EventTimeWatermark watermark = watermarks.get(w);
      if (watermark.source() == source) {
        int slot = w;
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return rows.hasNext();
          }

          @Override
          public Object[] next() {
            Object[] row = rows.next();
            if (row[watermark.column()] instanceof Long eventTime) {
              batchMax[slot] = Math.max(batchMax[slot], eventTime);
              batchMin = Math.min(batchMin, eventTime);
              batchSum += eventTime;
              batchRows++;
            }
            return row;
          }
        };
      }
    }
    return rows;
  }

  /** The watermark for the batch after the one just observed, which used {@code current}. */
  long next(long current) {
    if (watermarks.isEmpty()) {
      return current;
    }
    long min = Long.MAX_VALUE;
    for (int w = 0; w < watermarks.size(); w++) {
      if (batchMax[w] != Long.MIN_VALUE) {
        sourceWatermark[w] =
            Math.max(sourceWatermark[w], minus(batchMax[w], watermarks.get(w).delayMs()));
      }
      min = Math.min(min, sourceWatermark[w]);
    }
    return Math.max(current, min);
  }

  /** Progress's eventTime of the batch: min, max, avg of its event times, and its watermark. */
  Map<String, String> eventTime(long batchWatermark) {
    Map<String, String> stats = new LinkedHashMap<>();
    if (watermarks.isEmpty()) {
      return stats;
    }
    if (batchRows > 0) {
      long max = Long.MIN_VALUE;
      for (long m : batchMax) {
        max = Math.max(max, m);
      }
      stats.put("avg", ProgressTime.format(batchSum / batchRows));
      stats.put("max", ProgressTime.format(max));
      stats.put("min", ProgressTime.format(batchMin));
    }
    stats.put("watermark", ProgressTime.format(batchWatermark));
    return stats;
  }

  /**
   * {@code a - b} that saturates instead of wrapping: one event time near Long.MIN_VALUE once moved
   * the watermark to the year 292 million, and every later row was dropped as late, for good.
   * (Sources now refuse event times outside years 1 to 9999; this keeps the arithmetic safe too.)
   */
  static long minus(long a, long b) {
    long difference = a - b;
    if (((a ^ b) & (a ^ difference)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return difference;
  }
}
