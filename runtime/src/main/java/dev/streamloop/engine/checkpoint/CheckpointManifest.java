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
 * this list, whatever the order of the spec that runs it now), the output mode, the sinks, and the
 * stateful operators (each with its state directory's id, its key groups, fixed for the
 * checkpoint's life, and the store the last runner used). Versioned: a runner refuses a manifest
 * from a newer release instead of rewriting it; version 1 (no stateful operators listed) is read.
 *
 * @param version The format's version ({@link #VERSION} when written by this release).
 * @param sources The sources, in checkpoint order.
 * @param outputMode The output mode of the query that last ran on the checkpoint.
 * @param sinks The sinks' names.
 * @param stateOperators The stateful operators (none for a stateless query).
 */
public record CheckpointManifest(
    int version,
    List<SourceIdentity> sources,
    String outputMode,
    List<String> sinks,
    List<StateOperator> stateOperators) {
  /** The manifest version this release writes and the newest it reads. */
  public static final int VERSION = 2;

  /**
   * A stateful operator as the checkpoint knows it.
   *
   * @param id Its stable id: its state lives in {@code state/<id>}.
   * @param kind What it is (aggregate).
   * @param keyGroups Its state's key groups, fixed when the checkpoint was created.
   * @param store The state store (heap or rocksdb) the last runner used.
   */
  public record StateOperator(int id, String kind, int keyGroups, String store) {}

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
    stateOperators = List.copyOf(stateOperators);
  }

  /** A manifest of this release's version. */
  public CheckpointManifest(
      List<SourceIdentity> sources,
      String outputMode,
      List<String> sinks,
      List<StateOperator> stateOperators) {
    this(VERSION, sources, outputMode, sinks, stateOperators);
  }

  /** A manifest of this release's version for a stateless query. */
  public CheckpointManifest(List<SourceIdentity> sources, String outputMode, List<String> sinks) {
    this(VERSION, sources, outputMode, sinks, List.of());
  }

  /** The stateful operator {@code id}, if the manifest lists it. */
  public java.util.Optional<StateOperator> stateOperator(int id) {
    return stateOperators.stream().filter(o -> o.id() == id).findFirst();
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
    if (!stateOperators.isEmpty()) {
      ArrayNode operators = json.putArray("stateOperators");
      for (StateOperator operator : stateOperators) {
        operators
            .addObject()
            .put("id", operator.id())
            .put("kind", operator.kind())
            .put("keyGroups", operator.keyGroups())
            .put("store", operator.store());
      }
    }
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
    List<StateOperator> operators = new ArrayList<>();
    for (JsonNode operator : json.path("stateOperators")) {
      int keyGroups = operator.path("keyGroups").asInt(0);
      if (!operator.path("id").canConvertToInt() || keyGroups < 1 || keyGroups > 32768) {
        throw new CheckpointException(
            file, "lists a stateful operator without an id or key groups; " + LogFormat.advice());
      }
      operators.add(
          new StateOperator(
              operator.get("id").asInt(),
              operator.path("kind").asText("aggregate"),
              keyGroups,
              operator.path("store").asText("heap")));
    }
    return new CheckpointManifest(
        version.asInt(), sources, json.path("outputMode").asText(""), sinks, operators);
  }
}
