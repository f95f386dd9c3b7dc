package dev.streamloop.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs every case with Apache Spark at once: one JVM (spark-oracle, built by the reactor before
 * this module) over a cases file, which writes each case's columns and batches, then reads them.
 */
final class SparkSide {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Spark's own launcher opens these packages to it on Java 17. */
  private static final List<String> OPENS =
      List.of(
          "java.base/java.lang",
          "java.base/java.lang.invoke",
          "java.base/java.lang.reflect",
          "java.base/java.io",
          "java.base/java.net",
          "java.base/java.nio",
          "java.base/java.util",
          "java.base/java.util.concurrent",
          "java.base/java.util.concurrent.atomic",
          "java.base/jdk.internal.ref",
          "java.base/sun.nio.ch",
          "java.base/sun.nio.cs",
          "java.base/sun.security.action",
          "java.base/sun.util.calendar");

  private SparkSide() {}

  /** Runs the cases; the outcomes are then in {@code output}, one directory per case. */
  static void runAll(
      List<DiffCase> cases, Map<String, TestStreams.Stream> streams, Path output, Duration limit)
      throws IOException, InterruptedException {
    Path oracle = Path.of(System.getProperty("streamloop.sparkOracle", "spark-oracle/target"));
    Path jar = oracle.resolve("spark-oracle.jar");
    Path classpath = oracle.resolve("classpath.txt");
    if (!Files.exists(jar) || !Files.exists(classpath)) {
      throw new IllegalStateException(
          "the Spark oracle is not built at "
              + oracle
              + ": build it with the suite, ./mvnw -pl differential/spark-oracle,differential"
              + " -am verify");
    }
    ObjectNode file = JSON.createObjectNode();
    file.put("output", output.toString());
    ArrayNode list = file.putArray("cases");
    for (DiffCase c : cases) {
      ObjectNode entry = list.addObject();
      entry.put("name", c.name());
      entry.put("sql", c.sparkSql());
      entry.put("mode", c.mode());
      ArrayNode sources = entry.putArray("sources");
      for (String name : c.sources()) {
        ObjectNode source = sources.addObject();
        source.put("name", name);
        source.put("path", streams.get(name).dir().toString());
        source.put("schema", streams.get(name).sparkSchema());
        source.put("static", streams.get(name).isStatic());
        if (c.spark() != null && c.spark().dropDuplicates() != null) {
          ObjectNode dedup = source.putObject("dropDuplicates");
          c.spark().dropDuplicates().forEach(dedup.putArray("columns")::add);
          dedup.put("withinWatermark", c.spark().withinWatermark());
        }
        Integer delay = c.watermark().get(name);
        if (delay != null) {
          source.put("watermarkColumn", "ts");
          source.put("watermarkDelay", delay + " seconds");
        }
      }
    }
    Files.createDirectories(output);
    Path casesFile = output.resolve("cases.json");
    JSON.writeValue(casesFile.toFile(), file);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-XX:+UseSerialGC");
    command.add("-Duser.timezone=UTC");
    OPENS.forEach(p -> command.add("--add-opens=" + p + "=ALL-UNNAMED"));
    command.add("-cp");
    command.add(jar + ":" + Files.readString(classpath).trim());
    command.add("dev.streamloop.oracle.SparkOracle");
    command.add(casesFile.toString());
    Path log = output.resolve("spark.log");
    Process spark =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!spark.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "Spark did not finish the cases within " + limit + "; its log: " + log);
      }
    } finally {
      spark.destroyForcibly();
    }
    if (spark.exitValue() != 0 || !Files.exists(output.resolve("done"))) {
      throw new IllegalStateException(
          "Spark ended with exit code " + spark.exitValue() + "; its log:\n" + tail(log));
    }
  }

  /** What Spark made of {@code c}. */
  static Outcome outcome(DiffCase c, Path output) throws IOException {
    Path dir = output.resolve(c.name());
    if (Files.exists(dir.resolve("error.txt"))) {
      return Outcome.refused(Files.readString(dir.resolve("error.txt")));
    }
    List<String> columns = new ArrayList<>();
    JSON.readTree(dir.resolve("columns.json").toFile()).forEach(n -> columns.add(n.asText()));
    Outcome.Builder outcome = new Outcome.Builder(columns);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path batch :
          files.filter(f -> f.getFileName().toString().startsWith("batch-")).toList()) {
        String name = batch.getFileName().toString();
        long id =
            Long.parseLong(name.substring("batch-".length(), name.length() - ".json".length()));
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(batch.toFile()).forEach(rows::add);
        outcome.batch(id, rows);
      }
    }
    return outcome.build();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
