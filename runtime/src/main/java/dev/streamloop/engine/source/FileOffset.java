package dev.streamloop.engine.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamloop.engine.checkpoint.LogFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A file source's offset: the batch id that planned it (Spark's {"logOffset":N}) and the files that
 * batch reads. Keeping the files in the offset puts them in offsets/N, written once before the
 * batch runs, so the source needs no durable write of its own per batch.
 *
 * @param logOffset The batch id that planned these files.
 * @param files What the batch reads, in order.
 */
record FileOffset(long logOffset, List<FileEntry> files) {

  String toJson() {
    ObjectNode node = LogFormat.JSON.createObjectNode();
    node.put("logOffset", logOffset);
    ArrayNode array = node.putArray("files");
    files.forEach(f -> array.add(toJson(f)));
    return node.toString();
  }

  /** The offset as progress shows it, as Spark's: without the file list. */
  static String forProgress(String offset) {
    return "{\"logOffset\":" + parse(offset).logOffset() + "}";
  }

  static FileOffset parse(String offset) {
    JsonNode node;
    try {
      node = LogFormat.JSON.readTree(offset);
    } catch (IOException e) {
      throw new IllegalStateException("not a file source offset: " + offset, e);
    }
    if (!node.path("logOffset").canConvertToLong() || !node.path("files").isArray()) {
      throw new IllegalStateException(
          "not a file source offset (logOffset and files expected): "
              + offset
              + "; the checkpoint was written by another source or an older runner, reset it"
              + " with spec.checkpoint.resetNonce");
    }
    List<FileEntry> files = new ArrayList<>();
    node.path("files").forEach(f -> files.add(fromJson(f)));
    return new FileOffset(node.get("logOffset").asLong(), files);
  }

  static ObjectNode toJson(FileEntry file) {
    ObjectNode node = LogFormat.JSON.createObjectNode();
    node.put("path", file.path());
    node.put("size", file.size());
    node.put("modificationTime", file.modificationTime());
    return node;
  }

  static FileEntry fromJson(JsonNode node) {
    return new FileEntry(
        node.path("path").asText(),
        node.path("size").asLong(),
        node.path("modificationTime").asLong());
  }
}
