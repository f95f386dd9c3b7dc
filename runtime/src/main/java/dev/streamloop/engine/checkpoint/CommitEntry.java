package dev.streamloop.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * An entry of the commit log, written after every sink has the batch: batch N is done.
 *
 * @param nextBatchWatermarkMs The watermark computed after this batch, used by the next one.
 * @param sourceWatermarksMs Each watermarked source's own watermark after this batch (Spark keeps
 *     them in memory only; kept here, a restart moves the watermark as an uninterrupted run would).
 */
public record CommitEntry(long nextBatchWatermarkMs, List<Long> sourceWatermarksMs) {

  public CommitEntry(long nextBatchWatermarkMs) {
    this(nextBatchWatermarkMs, List.of());
  }

  String serialize() {
    ObjectNode node = LogFormat.JSON.createObjectNode();
    node.put("nextBatchWatermarkMs", nextBatchWatermarkMs);
    if (!sourceWatermarksMs.isEmpty()) {
      ArrayNode sources = node.putArray("sourceWatermarksMs");
      sourceWatermarksMs.forEach(sources::add);
    }
    return LogFormat.write(List.of(node.toString()));
  }

  static CommitEntry parse(Path file, String content) {
    List<String> lines = LogFormat.read(file, content, 1);
    JsonNode node = LogFormat.parse(file, lines.get(0), 2);
    return new CommitEntry(
        node.path("nextBatchWatermarkMs").asLong(0),
        LogFormat.longs(node.path("sourceWatermarksMs")));
  }
}
