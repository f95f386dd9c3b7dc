package dev.streamloop.engine.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.List;

/**
 * The text format of checkpoint entries, as Spark's: a version line ("v1"), then one JSON value per
 * line, and a final newline. Parsing is strict, so a truncated or damaged file is reported, never
 * half-read.
 */
public final class LogFormat {
  public static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  static final String VERSION = "v1";

  private LogFormat() {}

  public static String write(List<String> jsonLines) {
    StringBuilder out = new StringBuilder(VERSION).append('\n');
    jsonLines.forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }

  /** The JSON lines after the version line; fails with the file's name on any damage. */
  public static List<String> read(Path file, String content, int minLines) {
    if (!content.endsWith("\n")) {
      throw new CheckpointException(file, "truncated (no final newline); " + advice());
    }
    List<String> lines = content.lines().toList();
    if (lines.isEmpty() || !lines.get(0).equals(VERSION)) {
      throw new CheckpointException(
          file,
          "unknown format (first line must be \""
              + VERSION
              + "\", is \""
              + (lines.isEmpty() ? "" : lines.get(0))
              + "\"); "
              + advice());
    }
    List<String> json = lines.subList(1, lines.size());
    if (json.size() < minLines) {
      throw new CheckpointException(file, "truncated (too few lines); " + advice());
    }
    for (int i = 0; i < json.size(); i++) {
      if (!json.get(i).equals("-")) {
        parse(file, json.get(i), i + 2);
      }
    }
    return json;
  }

  public static JsonNode parse(Path file, String json, int line) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CheckpointException(
          file, "corrupt JSON on line " + line + " (" + e.getOriginalMessage() + "); " + advice());
    }
  }

  /** An error reading a checkpoint file, in words: "Input length = 1" says nothing. */
  static String describe(IOException e) {
    return e instanceof CharacterCodingException
        ? "is not UTF-8 text (damaged, or not written by the runner)"
        : String.valueOf(e.getMessage());
  }

  static String advice() {
    return "restore the checkpoint from a backup, or start from an empty one"
        + " (spec.checkpoint.resetNonce) to reprocess from the sources' starting offsets";
  }

  /** A JSON array of numbers as longs; empty if absent. */
  static List<Long> longs(JsonNode array) {
    List<Long> values = new java.util.ArrayList<>();
    array.forEach(v -> values.add(v.asLong()));
    return List.copyOf(values);
  }
}
