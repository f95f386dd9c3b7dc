package dev.streamloop.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a checkpoint was written for, in the checkpoint's own file {@code manifest}: its sources by
 * name, in the order of its entries (offsets line i and {@code sources/i} belong to source i of
 * this list, whatever the order of the spec that runs it now), the output mode and the sinks.
 * Versioned: a runner refuses a manifest from a newer release instead of rewriting it.
 *
 * @param version The format's version ({@link #VERSION} when written by this release).
 * @param sources The sources, in checkpoint order.
 * @param outputMode The output mode of the query that last ran on the checkpoint.
 * @param sinks The sinks' names.
 */
public record CheckpointManifest(
    int version, List<SourceIdentity> sources, String outputMode, List<String> sinks) {
  /** The manifest version this release writes and the newest it reads. */
  public static final int VERSION = 1;

  /**
   * A source as the checkpoint knows it.
   *
   * @param name The source's name in the spec (its table in the SQL).
   * @param kind file, kafka or rate: the kind decides what its offsets mean.
   * @param topics A Kafka source's topics or pattern (empty for others).
   */
  public record SourceIdentity(String name, String kind, List<String> topics) {
    @Override
    public String toString() {
      return name + " (" + kind + (topics.isEmpty() ? "" : " " + String.join(",", topics)) + ")";
    }
  }

  public CheckpointManifest {
    sources = List.copyOf(sources);
    sinks = List.copyOf(sinks);
  }

  /** A manifest of this release's version. */
  public CheckpointManifest(List<SourceIdentity> sources, String outputMode, List<String> sinks) {
    this(VERSION, sources, outputMode, sinks);
  }

  String serialize() {
    ObjectNode json = LogFormat.JSON.createObjectNode();
    json.put("version", version);
    ArrayNode sourceArray = json.putArray("sources");
    for (SourceIdentity source : sources) {
      ObjectNode entry = sourceArray.addObject();
      entry.put("name", source.name());
      entry.put("kind", source.kind());
      if (!source.topics().isEmpty()) {
        source.topics().forEach(entry.putArray("topics")::add);
      }
    }
    json.put("outputMode", outputMode);
    sinks.forEach(json.putArray("sinks")::add);
    return json + "\n";
  }

  static CheckpointManifest parse(Path file, String content) {
    JsonNode json = LogFormat.parse(file, content.strip(), 1);
    JsonNode version = json.path("version");
    if (!version.canConvertToInt() || version.asInt() < 1) {
      throw new CheckpointException(file, "has no valid version; " + LogFormat.advice());
    }
    if (version.asInt() > VERSION) {
      throw new CheckpointException(
          file,
          "was written by a newer release (manifest version "
              + version.asInt()
              + "; this runner reads up to version "
              + VERSION
              + "): run the newer runner image on this checkpoint, or start from an empty one");
    }
    List<SourceIdentity> sources = new ArrayList<>();
    for (JsonNode source : json.path("sources")) {
      if (!source.path("name").isTextual() || !source.path("kind").isTextual()) {
        throw new CheckpointException(
            file, "lists a source without a name or kind; " + LogFormat.advice());
      }
      List<String> topics = new ArrayList<>();
      source.path("topics").forEach(t -> topics.add(t.asText()));
      sources.add(
          new SourceIdentity(source.get("name").asText(), source.get("kind").asText(), topics));
    }
    if (sources.isEmpty()) {
      throw new CheckpointException(file, "lists no sources; " + LogFormat.advice());
    }
    List<String> sinks = new ArrayList<>();
    json.path("sinks").forEach(s -> sinks.add(s.asText()));
    return new CheckpointManifest(
        version.asInt(), sources, json.path("outputMode").asText(""), sinks);
  }
}
