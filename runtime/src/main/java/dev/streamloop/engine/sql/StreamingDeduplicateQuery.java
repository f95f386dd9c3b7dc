package dev.streamloop.engine.sql;

import dev.streamloop.engine.RowFailures;
import dev.streamloop.engine.StreamingQueryProgress.StateOperatorProgress;
import dev.streamloop.engine.state.StateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query that drops duplicate rows of a stream, as Spark's {@code dropDuplicates} and {@code
 * dropDuplicatesWithinWatermark} do ({@link DeduplicateSplit}): the compiled part below turns each
 * batch's input into (columns, keys, event time) rows; a row passes if its key is not in the state
 * store, and its key is then kept until the watermark passes its event time (plus the delay, within
 * the watermark); the compiled part above runs over the rows that passed. Late rows (event time at
 * or below the previous batch's watermark) are dropped and counted, as Spark drops them.
 */
final class StreamingDeduplicateQuery extends StatefulQuery {
  static final String DEDUPLICATED_TABLE = "$deduplicated";
  private static final long HEAP_CHECK_INTERVAL = 100_000;

  private final int columns;
  private final int keyColumns;

  /** Added to a key's event time for when it expires: the delay (within the watermark), or 0. */
  private final long keptForMs;

  private final String operatorName;
  private long updatedInBatch;
  private long droppedInBatch;

  StreamingDeduplicateQuery(
      CalciteQuery below,
      int columns,
      int keyColumns,
      CalciteQuery above,
      OperatorState state,
      boolean withinWatermark,
      long delayMs) {
    super(below, above, state);
    this.columns = columns;
    this.keyColumns = keyColumns;
    this.keptForMs = withinWatermark ? delayMs : 0;
    // as Spark names the operators in stateOperators progress
    this.operatorName = withinWatermark ? "dedupeWithinWatermark" : "dedupe";
  }

  /** The watermark is required, and bounds the state: append needs no further event-time key. */
  @Override
  public boolean hasEventTimeKey() {
    return true;
  }

  @Override
  public boolean actsOnWatermark() {
    return true;
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
    List<Object[]> passed;
    try {
      passed =
          firstRows(
              store,
              failures.guard(below.execute(inputs, batchTimestampMs)),
              lateEventsWatermarkMs);
    } catch (OutOfMemoryError e) {
      throw state.outOfMemory();
    }
    updatedInBatch = passed.size();
    if (watermarkMs > 0) {
      List<List<Object>> expired = new ArrayList<>();
      store.forEach(
          (key, expiresAt) -> {
            if (expiresAt[0] instanceof Long t && t <= watermarkMs) {
              expired.add(key);
            }
          });
      expired.forEach(store::remove);
    }
    return failures.guardAggregated(
        above.execute(Map.of(DEDUPLICATED_TABLE, passed), batchTimestampMs));
  }

  /**
   * The batch's rows whose key the state does not hold, one per key: the one with the earliest
   * event time (the first to arrive among equals), as ROW_NUMBER() ... ORDER BY ts = 1 reads.
   */
  private List<Object[]> firstRows(
      StateStore store, Iterable<Object[]> rows, long lateEventsWatermarkMs) {
    droppedInBatch = 0;
    int eventTime = columns + keyColumns;
    Map<List<Object>, Object[]> first = new LinkedHashMap<>();
    long sinceCheck = 0;
    for (Object[] row : rows) {
      Object time = row[eventTime];
      if (lateEventsWatermarkMs > 0 && time instanceof Long t && t <= lateEventsWatermarkMs) {
        droppedInBatch++;
        continue;
      }
      List<Object> key = Arrays.asList(Arrays.copyOfRange(row, columns, eventTime));
      Object[] earlier = first.get(key);
      if (earlier == null ? store.get(key) == null : before(time, earlier[eventTime])) {
        first.put(key, row);
      }
      if (++sinceCheck == HEAP_CHECK_INTERVAL) {
        state.checkHeap();
        sinceCheck = 0;
      }
    }
    List<Object[]> passed = new ArrayList<>(first.size());
    first.forEach(
        (key, row) -> {
          // a row without event time is kept until the next batch's watermark evicts it
          long expiresAt = row[eventTime] instanceof Long t ? t + keptForMs : Long.MIN_VALUE;
          store.put(key, new Object[] {expiresAt});
          passed.add(Arrays.copyOf(row, columns));
        });
    return passed;
  }

  private static boolean before(Object time, Object than) {
    return time instanceof Long t && (!(than instanceof Long u) || t < u);
  }

  @Override
  public void close() {
    state.close();
  }

  @Override
  public List<StateOperatorProgress> commitState(long batchId) {
    return List.of(state.commit(operatorName, updatedInBatch, droppedInBatch));
  }
}
