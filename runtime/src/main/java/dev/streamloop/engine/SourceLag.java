package dev.streamloop.engine;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How far a source is behind the data available to it, measured when the last batch was planned:
 * what remains after that batch's end. Not part of Spark's progress (Spark has only the Kafka
 * source's offsetsBehindLatest metrics); the operator sums it over runners into the query's lag and
 * judges freshness by it. Fields that do not apply to a source are null (a Kafka source has no
 * files).
 *
 * @param recordsBehind Records between the batch's end and the newest offsets.
 * @param filesBehind Files found and not yet read.
 * @param bytesBehind The size of those files.
 * @param oldestUnprocessedTime When the oldest input not yet read was written (RFC 3339, as
 *     progress times); null when nothing is behind.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceLag(
    Long recordsBehind, Long filesBehind, Long bytesBehind, String oldestUnprocessedTime) {

  /** A source of records (Kafka); {@code oldestMs} null when nothing is behind. */
  public static SourceLag ofRecords(long behind, Long oldestMs) {
    return new SourceLag(behind, null, null, time(behind > 0 ? oldestMs : null));
  }

  /** A source of files; {@code oldestMs} null when nothing is behind. */
  public static SourceLag ofFiles(long files, long bytes, Long oldestMs) {
    return new SourceLag(null, files, bytes, time(files > 0 ? oldestMs : null));
  }

  private static String time(Long ms) {
    return ms == null ? null : ProgressTime.format(ms);
  }
}
