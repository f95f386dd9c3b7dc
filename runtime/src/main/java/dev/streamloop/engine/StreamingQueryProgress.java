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
    List<SourceProgress> sources,
    List<SinkProgress> sinks,
    String message) {

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
  public record SinkProgress(String description, long numOutputRows) {}
}
