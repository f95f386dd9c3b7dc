package dev.streamloop.engine.checkpoint;

import java.nio.file.Path;
import java.util.List;

/**
 * An entry of the commit log, written after every sink has the batch: batch N is done.
 *
 * @param nextBatchWatermarkMs The watermark computed after this batch, used by the next one.
 */
public record CommitEntry(long nextBatchWatermarkMs) {

  String serialize() {
    return LogFormat.write(List.of("{\"nextBatchWatermarkMs\":" + nextBatchWatermarkMs + "}"));
  }

  static CommitEntry parse(Path file, String content) {
    List<String> lines = LogFormat.read(file, content, 1);
    return new CommitEntry(
        LogFormat.parse(file, lines.get(0), 2).path("nextBatchWatermarkMs").asLong(0));
  }
}
