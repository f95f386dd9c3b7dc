package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * The last batch of one runner, with the field names and rules of Spark's StreamingQueryProgress.
 *
 * @param id The query id (from the checkpoint).
 * @param runId The id of this start of the runner.
 * @param name The query's name.
 * @param timestamp When the batch's trigger started (RFC 3339).
 * @param batchId The batch id; it advances only when a batch runs.
 * @param batchDuration How long the batch took, in milliseconds.
 * @param numInputRows Rows read from all sources in the batch.
 * @param inputRowsPerSecond Rows per second that arrived since the previous batch started.
 * @param processedRowsPerSecond Rows per second the batch processed.
 * @param durationMs Where the time went, in milliseconds, with Spark's keys: addBatch,
 *     commitOffsets, getBatch, latestOffset, queryPlanning, triggerExecution, walCommit (a trigger
 *     without a batch: latestOffset and triggerExecution).
 * @param eventTime Event-time statistics of the batch: min, max, avg and watermark (RFC 3339).
 * @param stateOperators The state of each stateful operator after the batch.
 * @param sources Each source's offsets and rates in the batch.
 * @param sink The (first) sink's output in the batch, as Spark's sink.
 * @param sinks Every sink's output in the batch, when the query has more than one (Spark has one).
 * @param message The runner's status message, such as "Waiting for data to arrive".
 * @param runner What the runner runs (generation, image, hashes of the SQL and of the state's plan)
 *     and the batch and offsets its current start began at.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryProgress(
    @Size(max = 64) String id,
    @Size(max = 64) String runId,
    @Size(max = 253) String name,
    String timestamp,
    Long batchId,
    Long batchDuration,
    Long numInputRows,
    Double inputRowsPerSecond,
    Double processedRowsPerSecond,
    Map<String, Long> durationMs,
    Map<String, String> eventTime,
    @Size(max = 32) List<StateOperatorProgress> stateOperators,
    @Size(max = 16) List<SourceProgress> sources,
    SinkProgress sink,
    @Size(max = 16) List<SinkProgress> sinks,
    @Size(max = 1024) String message,
    RunnerStart runner) {

  /**
   * One source's part of a batch.
   *
   * @param description The source, such as KafkaV2[Subscribe[clicks]].
   * @param startOffset The offset the batch started at, as Spark's JSON value (null on the first
   *     batch).
   * @param endOffset The offset the batch ended at, as Spark's JSON value.
   * @param latestOffset The newest offset available when the batch was planned, as Spark's JSON
   *     value (null when the source does not tell).
   * @param numInputRows Rows read from this source.
   * @param inputRowsPerSecond Rows per second that arrived at this source.
   * @param processedRowsPerSecond Rows per second processed from this source.
   * @param metrics Source-specific figures, such as numBadRecords or maxOffsetsBehindLatest.
   * @param lag What the source had not read when the batch was planned (not in Spark's progress).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SourceProgress(
      String description,
      @PreserveUnknownFields @Nullable @JsonInclude(JsonInclude.Include.ALWAYS)
          JsonNode startOffset,
      @PreserveUnknownFields @Nullable @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode endOffset,
      @PreserveUnknownFields @Nullable @JsonInclude(JsonInclude.Include.ALWAYS)
          JsonNode latestOffset,
      Long numInputRows,
      Double inputRowsPerSecond,
      Double processedRowsPerSecond,
      Map<String, String> metrics,
      SourceLag lag) {}

  /**
   * One sink's part of a batch.
   *
   * @param description The sink, such as FileSink[/data/out].
   * @param numOutputRows Rows written in the batch (-1 when the sink cannot tell).
   * @param metrics Sink-specific figures.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SinkProgress(String description, Long numOutputRows, Map<String, String> metrics) {}

  /**
   * One stateful operator after the batch.
   *
   * @param operatorName The operator, such as stateStoreSave.
   * @param numRowsTotal Rows (keys) in the state.
   * @param numRowsUpdated Rows updated in the batch.
   * @param numRowsRemoved Rows evicted in the batch.
   * @param numRowsDroppedByWatermark Input rows dropped as late.
   * @param memoryUsedBytes Memory the state uses.
   * @param commitTimeMs Time to checkpoint the state.
   * @param customMetrics Operator-specific figures.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StateOperatorProgress(
      String operatorName,
      Long numRowsTotal,
      Long numRowsUpdated,
      Long numRowsRemoved,
      Long numRowsDroppedByWatermark,
      Long memoryUsedBytes,
      Long commitTimeMs,
      Map<String, Long> customMetrics) {}
}
