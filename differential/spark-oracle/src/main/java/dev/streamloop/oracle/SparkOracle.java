package dev.streamloop.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Runs each case of a cases file with Spark Structured Streaming, local[2], over JSON-lines files
 * read one file per batch (maxFilesPerTrigger 1) with Trigger.AvailableNow (a static source is a
 * static DataFrame of its files), and writes what Spark produced: the result's column names, then
 * each batch's rows (foreachBatch), or the error that refused the query. Usage: {@code SparkOracle
 * <cases.json>}.
 */
public final class SparkOracle {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SparkOracle() {}

  public static void main(String[] args) throws Exception {
    JsonNode file = JSON.readTree(Path.of(args[0]).toFile());
    Path output = Path.of(file.get("output").asText());
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("streamloop-differential")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.ansi.enabled", "true")
            .getOrCreate();
    for (JsonNode c : file.get("cases")) {
      long started = System.nanoTime();
      Path dir = output.resolve(c.get("name").asText());
      Files.createDirectories(dir);
      try {
        run(spark, c, dir);
        System.out.printf(
            "%s: done in %d ms%n", c.get("name").asText(), (System.nanoTime() - started) / 1000000);
      } catch (Exception e) {
        Files.writeString(dir.resolve("error.txt"), String.valueOf(e.getMessage()));
        System.out.printf("%s: refused: %s%n", c.get("name").asText(), firstLine(e.getMessage()));
      }
    }
    Files.writeString(output.resolve("done"), "");
    spark.stop();
  }

  private static void run(SparkSession spark, JsonNode c, Path dir) throws Exception {
    for (JsonNode source : c.get("sources")) {
      Dataset<Row> input =
          source.path("static").asBoolean()
              ? spark.read().schema(source.get("schema").asText()).json(source.get("path").asText())
              : spark
                  .readStream()
                  .schema(source.get("schema").asText())
                  .option("maxFilesPerTrigger", 1)
                  .json(source.get("path").asText());
      if (source.hasNonNull("watermarkColumn")) {
        input =
            input.withWatermark(
                source.get("watermarkColumn").asText(), source.get("watermarkDelay").asText());
      }
      input = deduplicated(input, source.get("dropDuplicates"));
      input.createOrReplaceTempView(source.get("name").asText());
    }
    Dataset<Row> result = spark.sql(c.get("sql").asText());
    ArrayNode names = JSON.createArrayNode();
    for (String name : result.schema().fieldNames()) {
      names.add(name);
    }
    Files.writeString(dir.resolve("columns.json"), names.toString());
    StreamingQuery query =
        result
            .writeStream()
            .outputMode(c.get("mode").asText())
            .trigger(Trigger.AvailableNow())
            .option("checkpointLocation", dir.resolve("checkpoint").toString())
            .foreachBatch(
                (VoidFunction2<Dataset<Row>, Long>)
                    (batch, id) -> {
                      ArrayNode rows = JSON.createArrayNode();
                      for (Row row : batch.collectAsList()) {
                        rows.add(SparkValues.row(row));
                      }
                      Files.writeString(dir.resolve("batch-" + id + ".json"), rows.toString());
                    })
            .start();
    try {
      query.awaitTermination();
    } catch (Exception e) {
      query.stop();
      throw e;
    }
    if (query.exception().isDefined()) {
      throw query.exception().get();
    }
  }

  /**
   * The source deduplicated as a case asks ({@code {"columns": [...], "withinWatermark": bool}}):
   * Spark has deduplication only as DataFrame operators, which SQL cannot write.
   */
  private static Dataset<Row> deduplicated(Dataset<Row> input, JsonNode dedup) {
    if (dedup == null || dedup.isNull()) {
      return input;
    }
    String[] columns = new String[dedup.get("columns").size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = dedup.get("columns").get(i).asText();
    }
    return dedup.path("withinWatermark").asBoolean()
        ? input.dropDuplicatesWithinWatermark(columns)
        : input.dropDuplicates(columns);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
