package dev.streamloop.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;

/**
 * One trigger's progress, with the field names, order and rules of Spark's StreamingQueryProgress
 * (rates: input = rows / time since the previous trigger started, processed = rows / trigger
 * duration; {@code durationMs} keys sorted as Spark prints them). Spark has one sink, in {@code
 * sink}; a query here may have several: {@code sink} is the first, and {@code sinks} lists them all
 * when there is more than one.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
  "id",
  "runId",
  "name",
  "timestamp",
  "batchId",
  "batchDuration",
  "numInputRows",
  "inputRowsPerSecond",
  "processedRowsPerSecond",
  "durationMs",
  "eventTime",
  "stateOperators",
  "sources",
  "sink",
  "sinks",
  "message"
})
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
    SinkProgress sink,
    List<SinkProgress> sinks,
    String message) {

  /** Builds the record with {@code sink} and {@code sinks} from one list, as documented above. */
  public static StreamingQueryProgress of(
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
    return new StreamingQueryProgress(
        id,
        runId,
        name,
        timestamp,
        batchId,
        batchDuration,
        numInputRows,
        inputRowsPerSecond,
        processedRowsPerSecond,
        durationMs,
        eventTime,
        stateOperators,
        sources,
        sinks.isEmpty() ? null : sinks.get(0),
        sinks.size() > 1 ? sinks : List.of(),
        message);
  }

  /** Every sink of the trigger, however many. */
  public List<SinkProgress> allSinks() {
    return !sinks.isEmpty() ? sinks : sink == null ? List.of() : List.of(sink);
  }

  /** Whether this progress is of a batch that ran (idle and retry progress have no addBatch). */
  public boolean ranBatch() {
    return durationMs.containsKey("addBatch");
  }

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
      Map<String, Long> customMetrics) {

    /** The figures of a trigger that ran no batch: the totals stay, nothing was updated. */
    public StateOperatorProgress idle() {
      return new StateOperatorProgress(
          operatorName, numRowsTotal, 0, 0, 0, memoryUsedBytes, 0, Map.of());
    }
  }

  /**
   * One source's part of the trigger. The offsets are JSON values, as Spark prints them; {@code
   * startOffset} is null on the first batch, and all three are always present. {@code lag} is ours,
   * not Spark's: what the source had not read when the batch was planned.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record SourceProgress(
      String description,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode startOffset,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode endOffset,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode latestOffset,
      long numInputRows,
      Double inputRowsPerSecond,
      Double processedRowsPerSecond,
      Map<String, String> metrics,
      SourceLag lag) {
    private static final ObjectMapper JSON =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** An offset as a JSON value: parsed when it is JSON, else a string (as Spark's tryParse). */
    public static JsonNode offset(String offset) {
      if (offset == null) {
        return null;
      }
      try {
        return JSON.readTree(offset);
      } catch (java.io.IOException e) {
        return TextNode.valueOf(offset);
      }
    }
  }

  /**
   * One sink after the batch.
   *
   * @param metrics Sink-specific figures of the batch, as Spark's SinkProgress.metrics (the Kafka
   *     sink's transaction commit time, say).
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record SinkProgress(String description, long numOutputRows, Map<String, String> metrics) {
    public SinkProgress(String description, long numOutputRows) {
      this(description, numOutputRows, Map.of());
    }
  }
}
