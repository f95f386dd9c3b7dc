package dev.streamloop.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamloop.api.validation.StreamingQueryValidator;
import dev.streamloop.api.validation.ValidationError;
import dev.streamloop.engine.Clock;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.MicroBatchExecution;
import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.QueryDefinition;
import dev.streamloop.engine.Sink;
import dev.streamloop.engine.checkpoint.FileCheckpoint;
import dev.streamloop.runner.InvalidQueryException;
import dev.streamloop.runner.MountedAssembly;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Runs a case with the runner as a pod would, in this JVM: the StreamingQuery document validated
 * against the CRD, assembled by the runner (file sources, the compiled SQL), run with an
 * available-now trigger, its one sink replaced by one that keeps each batch's rows.
 */
final class RunnerSide {
  private static final StreamingQueryValidator VALIDATOR = StreamingQueryValidator.fromCrd();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String DATA = "/data";

  private RunnerSide() {}

  static Outcome run(DiffCase c, Map<String, TestStreams.Stream> streams, Path checkpointDir)
      throws Exception {
    String yaml = new YAMLMapper().writeValueAsString(document(c, streams));
    StreamingQueryValidator.Result valid = VALIDATOR.validateYaml(yaml);
    if (!valid.isValid()) {
      return Outcome.refused(
          String.join("\n", valid.errors().stream().map(ValidationError::toString).toList()));
    }
    FileCheckpoint checkpoint = FileCheckpoint.open(checkpointDir);
    QueryDefinition assembled;
    try {
      Path data = streams.get(c.sources().get(0)).dir().getParent();
      assembled =
          MountedAssembly.assemble(valid.query(), checkpoint, Map.of(DATA, data.toString()));
    } catch (InvalidQueryException e) {
      return Outcome.refused(e.getMessage());
    }
    List<String> names = assembled.query().outputColumns().stream().map(Column::name).toList();
    Outcome.Builder outcome = new Outcome.Builder(names);
    Sink capture =
        new Sink() {
          @Override
          public String description() {
            return "differential";
          }

          @Override
          public long addBatch(long batchId, List<Column> columns, Iterable<Object[]> rows) {
            List<JsonNode> batch = new ArrayList<>();
            for (Object[] row : rows) {
              ArrayNode values = NODES.arrayNode();
              for (Object value : row) {
                values.add(value(value));
              }
              batch.add(values);
            }
            outcome.batch(batchId, batch);
            return batch.size();
          }
        };
    QueryDefinition query =
        new QueryDefinition(
            assembled.name(),
            assembled.sources(),
            assembled.query(),
            List.of(capture),
            assembled.trigger(),
            assembled.retainBatches(),
            assembled.watermarks(),
            assembled.state());
    try {
      new MicroBatchExecution(query, checkpoint, Clock.SYSTEM, new ProgressListener() {}).run();
    } catch (RuntimeException e) {
      return Outcome.refused(String.valueOf(e.getMessage()));
    }
    return outcome.build();
  }

  private static Map<String, Object> document(DiffCase c, Map<String, TestStreams.Stream> streams) {
    List<Object> sources = new ArrayList<>();
    for (String name : c.sources()) {
      TestStreams.Stream stream = streams.get(name);
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("name", name);
      String path = DATA + "/" + stream.dir().getFileName() + "/*.json";
      if (stream.isStatic()) {
        source.put("file", Map.of("path", path));
        source.put("static", Map.of());
      } else {
        source.put("file", Map.of("path", path, "maxFilesPerTrigger", 1));
      }
      source.put("format", "json");
      List<Object> schema = new ArrayList<>();
      stream.columns().forEach((column, type) -> schema.add(Map.of("name", column, "type", type)));
      source.put("schema", schema);
      Integer delay = c.watermark().get(name);
      if (delay != null) {
        source.put("watermark", Map.of("column", "ts", "delay", delay + "s"));
      }
      sources.add(source);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("sources", sources);
    spec.put("query", c.sql());
    spec.put("outputMode", c.mode());
    spec.put("sinks", List.of(Map.of("name", "out", "console", Map.of())));
    spec.put("trigger", Map.of("availableNow", Map.of()));
    // the runner reads files only inside a data volume: /data, mounted from the streams' directory
    spec.put(
        "runner",
        Map.of(
            "volumes", List.of(Map.of("name", "data", "mountPath", DATA, "emptyDir", Map.of()))));
    return Map.of(
        "apiVersion",
        "streamloop.dev/v1alpha1",
        "kind",
        "StreamingQuery",
        "metadata",
        Map.of("name", c.name()),
        "spec",
        spec);
  }

  /** The runner's row values (Calcite's forms) as the Spark side writes them. */
  private static JsonNode value(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof Double d) {
      return NODES.numberNode(d);
    } else if (value instanceof Float f) {
      return NODES.numberNode(f.doubleValue());
    } else if (value instanceof BigDecimal d) {
      return NODES.textNode(d.stripTrailingZeros().toPlainString());
    } else if (value instanceof Number n) {
      return NODES.numberNode(n.longValue());
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (value instanceof ByteString bytes) {
      return NODES.textNode(java.util.Base64.getEncoder().encodeToString(bytes.getBytes()));
    } else if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode();
      list.forEach(element -> array.add(value(element)));
      return array;
    }
    return NODES.textNode(value.toString());
  }
}
