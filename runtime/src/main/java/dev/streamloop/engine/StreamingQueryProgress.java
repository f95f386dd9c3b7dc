package dev.streamloop.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One trigger's progress, with the field names and rules of Spark's StreamingQueryProgress (rates:
 * input = rows / time since the previous trigger started, processed = rows / trigger duration).
 * Spark has one sink; a query here may have several, so this has {@code sinks}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StreamingQueryProgress(
    String id,
    String runId,
    String name,
    String timestamp,
    long batchId,
    long batchDuration,
    long numInputRows,
    Double inputRowsPerSecond,
    Double processedRowsPerSecond,
    Map<String, Long> durationMs,
    Map<String, String> eventTime,
    List<StateOperatorProgress> stateOperators,
    List<SourceProgress> sources,
    List<SinkProgress> sinks,
    String message) {

  /**
   * One stateful operator after the batch, with Spark's field names.
   *
   * @param operatorName Such as stateStoreSave.
   * @param numRowsTotal Keys in the state.
   * @param numRowsUpdated Keys updated in the batch.
   * @param numRowsRemoved Keys removed (evicted) in the batch.
   * @param numRowsDroppedByWatermark Input rows dropped as late.
   * @param memoryUsedBytes Estimated heap the state uses.
   * @param commitTimeMs Time to checkpoint the state.
   * @param customMetrics Such as stateBytesWritten.
   */
  public record StateOperatorProgress(
      String operatorName,
      long numRowsTotal,
      long numRowsUpdated,
      long numRowsRemoved,
      long numRowsDroppedByWatermark,
      long memoryUsedBytes,
      long commitTimeMs,
      Map<String, Long> customMetrics) {}

  /** One source's part of the trigger. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record SourceProgress(
      String description,
      String startOffset,
      String endOffset,
      String latestOffset,
      long numInputRows,
      Double inputRowsPerSecond,
      Double processedRowsPerSecond,
      Map<String, String> metrics) {}

  /** One sink's part of the trigger. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  /**
   * One sink after the batch.
   *
   * @param metrics Sink-specific figures of the batch, as Spark's SinkProgress.metrics (the Kafka
   *     sink's transaction commit time, say).
   */
  public record SinkProgress(String description, long numOutputRows, Map<String, String> metrics) {
    public SinkProgress(String description, long numOutputRows) {
      this(description, numOutputRows, Map.of());
    }
  }
}
