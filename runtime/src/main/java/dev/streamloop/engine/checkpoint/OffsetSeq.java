package dev.streamloop.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An entry of the offsets log (the write-ahead log): everything that fixes what batch N reads and
 * computes, written before the batch runs. A restart re-runs an uncommitted batch with exactly
 * these offsets, this timestamp and this watermark.
 *
 * @param batchWatermarkMs The event-time watermark the batch uses.
 * @param batchTimestampMs The batch's time: CURRENT_TIMESTAMP in the query.
 * @param endOffsets Each source's end offset as JSON, in source order; null where a source has none
 *     yet.
 * @param sourceWatermarksMs Each watermarked source's own watermark before the batch.
 */
public record OffsetSeq(
    long batchWatermarkMs,
    long batchTimestampMs,
    List<String> endOffsets,
    List<Long> sourceWatermarksMs) {

  public OffsetSeq(long batchWatermarkMs, long batchTimestampMs, List<String> endOffsets) {
    this(batchWatermarkMs, batchTimestampMs, endOffsets, List.of());
  }

  String serialize() {
    ObjectNode metadata = LogFormat.JSON.createObjectNode();
    metadata.put("batchWatermarkMs", batchWatermarkMs);
    metadata.put("batchTimestampMs", batchTimestampMs);
    metadata.putObject("conf");
    if (!sourceWatermarksMs.isEmpty()) {
      var sources = metadata.putArray("sourceWatermarksMs");
      sourceWatermarksMs.forEach(sources::add);
    }
    List<String> lines = new ArrayList<>();
    lines.add(metadata.toString());
    endOffsets.forEach(o -> lines.add(o == null ? "-" : o));
    return LogFormat.write(lines);
  }

  static OffsetSeq parse(Path file, String content) {
    List<String> lines = LogFormat.read(file, content, 1);
    JsonNode metadata = LogFormat.parse(file, lines.get(0), 2);
    if (!metadata.path("batchTimestampMs").canConvertToLong()) {
      throw new CheckpointException(file, "line 2 lacks batchTimestampMs; " + LogFormat.advice());
    }
    List<String> offsets = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      offsets.add(line.equals("-") ? null : line);
    }
    return new OffsetSeq(
        metadata.path("batchWatermarkMs").asLong(0),
        metadata.get("batchTimestampMs").asLong(),
        offsets,
        LogFormat.longs(metadata.path("sourceWatermarksMs")));
  }
}
