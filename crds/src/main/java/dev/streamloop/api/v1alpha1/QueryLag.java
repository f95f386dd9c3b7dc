package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * How far the query is behind its input, from its runners' last progress, summed over runners.
 *
 * @param seconds How old the query's output may be, when the operator last wrote the status (at
 *     least every half maxLag with spec.freshness, else at its other updates): the time since the
 *     watermark for a query with one (an open window's rows wait for it), else the age of the
 *     oldest input not yet processed (0 when nothing is behind).
 * @param basis What seconds measures: Watermark or OldestUnprocessedInput.
 * @param recordsBehind Records not yet read, over all Kafka sources and runners.
 * @param filesBehind Files not yet read, over all file sources and runners.
 * @param bytesBehind The size of those files.
 * @param sources Each source's part, summed over runners, in the order of spec.sources.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryLag(
    Long seconds,
    Basis basis,
    Long recordsBehind,
    Long filesBehind,
    Long bytesBehind,
    @Size(max = 16) List<Source> sources) {

  /** What {@code seconds} measures. */
  public enum Basis {
    Watermark,
    OldestUnprocessedInput
  }

  /**
   * One source's lag, summed over runners.
   *
   * @param description The source, as in progress (such as KafkaV2[Subscribe[clicks]]).
   * @param recordsBehind Records not yet read.
   * @param filesBehind Files not yet read.
   * @param bytesBehind The size of those files.
   * @param oldestUnprocessedTime When the oldest input not yet read was written (RFC 3339).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(
      @Size(max = 1024) String description,
      Long recordsBehind,
      Long filesBehind,
      Long bytesBehind,
      String oldestUnprocessedTime) {}
}
