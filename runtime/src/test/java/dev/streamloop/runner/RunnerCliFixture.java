package dev.streamloop.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A work directory with the tests' data volume at /data, and queries that use it. */
abstract class RunnerCliFixture {
  static final String COUNT = "SELECT country, COUNT(*) AS n FROM orders GROUP BY country";

  @TempDir Path dir;

  /** {@link #fileToFile} as an aggregation in update mode that prints to the console. */
  Path aggregation(String name, String sql) throws Exception {
    return query(name, aggregationSpec(sql));
  }

  /** The spec of {@link #aggregation}. */
  String aggregationSpec(String sql) throws Exception {
    return fileToFile(sql, "Fail")
        .replace("trigger: {availableNow", "outputMode: update\ntrigger: {availableNow")
        .replace("file: {path: /data/out}", "console: {}");
  }

  Path query(String name, String spec) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        "apiVersion: streamloop.dev/v1alpha1\nkind: StreamingQuery\nmetadata:\n  name: "
            + name
            + "\nspec:\n"
            + spec.indent(2));
    return file;
  }

  /** `run` on checkpoint cp, with the termination log at dir/termination-log. */
  RunnerProcess runWithTerminationLog(Path query) throws Exception {
    return RunnerProcess.start(
        dir,
        "run",
        "--query",
        query.toString(),
        "--checkpoint",
        "cp",
        "--termination-log",
        dir.resolve("termination-log").toString());
  }

  String fileToFile(String query, String policy) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    return """
        sources:
          - name: orders
            file: {path: %s}
            schema:
              - {name: id, type: long}
              - {name: country, type: string}
        query: "%s"
        sinks:
          - name: out
            file: {path: %s}
        trigger: {availableNow: {}}
        badRecords: {policy: %s}
        """
            .formatted("/data/in", query, "/data/out", policy)
        + RunnerProcess.DATA_VOLUME;
  }

  /** The lines of the part files a file sink's manifest lists, in batch order. */
  static String committedOutput(Path out) throws Exception {
    StringBuilder all = new StringBuilder();
    for (Path part : dev.streamloop.engine.sink.FileSink.committedFiles(out)) {
      all.append(Files.readString(part));
    }
    return all.toString();
  }

  Path rateToFile() throws Exception {
    return query(
        "locked",
        """
        sources:
          - name: ticks
            rate: {rowsPerSecond: 10}
        query: SELECT * FROM ticks
        sinks:
          - name: out
            file: {path: %s}
        trigger: {processingTime: 1s}
        """
                .formatted("/data/out")
            + RunnerProcess.DATA_VOLUME);
  }
}
