package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner as a process, given input it must refuse or survive: files outside its volumes,
 * records that do not parse, rows the query cannot evaluate. Each ends with a clear message and the
 * right exit code, never a crash loop or lost data.
 */
class RunnerBadInputTest extends RunnerCliFixture {
  @Test
  void aFileSourceOutsideTheDataVolumesIsRefusedBeforeAnythingIsRead() throws Exception {
    Path file =
        query(
            "escape",
            fileToFile("SELECT id FROM orders", "Fail")
                .replace("path: /data/in}", "path: \"/proc/self/enviro[n]\"}"));

    RunnerProcess runner = runWithTerminationLog(file);

    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.INVALID);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .contains("spec.sources: a file source must read inside a data volume");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aSourceDirectoryThatLinksOutOfItsVolumeIsRefused(@TempDir Path elsewhere) throws Exception {
    Path file = query("linked", fileToFile("SELECT id FROM orders", "Fail"));
    Files.writeString(elsewhere.resolve("token"), "{\"id\":1,\"country\":\"secret\"}\n");
    Files.delete(dir.resolve("in"));
    Files.createSymbolicLink(dir.resolve("in"), elsewhere);

    RunnerProcess runner = runWithTerminationLog(file);

    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.INVALID);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .contains(
            "spec.sources[0].file.path: /data/in leads out of the volume at /data through a"
                + " symbolic link");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aMalformedRecordUnderFailExits1WithFileAndLine() throws Exception {
    Path file = query("ok", fileToFile("SELECT id FROM orders", "Fail"));
    Files.writeString(dir.resolve("in/a.json"), "{\"id\":1,\"country\":\"de\"}\n{\"id\":\"x\"}\n");

    RunnerProcess runner =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");

    assertThat(runner.exitCode(60)).isEqualTo(ExitCodes.FAILED);
    assertThat(runner.stderr())
        .contains(dir.resolve("in/a.json") + " line 2")
        .contains("field \"id\": a text of 1 character is not a valid long");
  }

  private Path ordersWithAZeroQuantity(String query, String badRecords) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(
        dir.resolve("in/a.json"),
        """
        {"id":1,"country":"de","qty":4}
        {"id":2,"country":"de","qty":0}
        {"id":3,"country":"de","qty":5}
        """);
    return query(
        "poison",
        """
        sources:
          - name: orders
            file: {path: %s}
            schema:
              - {name: id, type: int}
              - {name: country, type: string}
              - {name: qty, type: int}
        query: "%s"
        sinks:
          - name: out
            file: {path: %s}
        trigger: {availableNow: {}}
        badRecords: %s
        """
                .formatted("/data/in", query, "/data/out", badRecords)
            + RunnerProcess.DATA_VOLUME);
  }

  /** Every row the file sink at {@code out} committed, as its JSON lines. */
  @Test
  void aRowTheQueryCannotEvaluateFailsTheBatchNamingTheExpressionAndTheRow() throws Exception {
    Path file =
        ordersWithAZeroQuantity("SELECT id, 100 / qty AS ratio FROM orders", "{policy: Drop}");

    RunnerProcess runner = runWithTerminationLog(file);

    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.FAILED);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .contains("dev.streamloop.engine.RowEvaluationException: batch 0:")
        .contains("cannot evaluate \"100 / qty\" (line 1, column 12)")
        .contains("[DIVIDE_BY_ZERO] Division by zero")
        .contains("source \"orders\" at " + dir.resolve("in/a.json") + " line 2")
        .contains("spec.badRecords.includeEvaluationErrors")
        .doesNotContain("\"country\":\"de\"");
    // the failed batch left no output behind
    assertThat(dir.resolve("out/_spark_metadata/0")).doesNotExist();
  }

  @Test
  void integerArithmeticThatOverflowsFailsTheBatchInsteadOfWrapping() throws Exception {
    Path file =
        ordersWithAZeroQuantity(
            "SELECT id, qty * 9223372036854775807 AS big FROM orders", "{policy: Fail}");

    RunnerProcess runner = runWithTerminationLog(file);

    // under Spark 4's ANSI rules an overflow is an error; the product used to wrap silently
    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.FAILED);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .contains("cannot evaluate \"qty * 9223372036854775807\" (line 1, column 12)")
        .contains("overflow")
        .contains(dir.resolve("in/a.json") + " line 1");
  }

  @Test
  void theBadRecordPolicyTakesRowsThatCannotBeEvaluatedWhenAskedTo() throws Exception {
    Path file =
        ordersWithAZeroQuantity(
            "SELECT id, 100 / qty AS ratio FROM orders",
            "{policy: DeadLetter, deadLetterPath: %s, includeEvaluationErrors: true}"
                .formatted("/data/dead"));

    RunnerProcess runner = runWithTerminationLog(file);

    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.OK);
    String out = committedOutput(dir.resolve("out"));
    assertThat(out).contains("\"id\":1,\"ratio\":25").contains("\"id\":3,\"ratio\":20");
    assertThat(out).doesNotContain("\"id\":2");
    String dead = Files.readString(dir.resolve("dead/orders-0.jsonl"));
    assertThat(dead)
        .contains(dir.resolve("in/a.json") + " line 2")
        .contains("100 / qty")
        .contains("[DIVIDE_BY_ZERO] Division by zero");
  }

  @Test
  void anAggregationDropsRowsItCannotEvaluateWhenAskedTo() throws Exception {
    Path file =
        ordersWithAZeroQuantity(
            "SELECT country, COUNT(*) AS n, SUM(100 / qty) AS total FROM orders GROUP BY country",
            "{policy: Drop, includeEvaluationErrors: true}");
    Files.writeString(
        file,
        Files.readString(file)
            .replace("  trigger:", "  outputMode: complete\n  trigger:")
            .replace("file: {path: /data/out}", "console: {}"));

    RunnerProcess runner = runWithTerminationLog(file);

    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.OK);
    // the row with qty 0 is left out of both aggregates: 2 rows, 25 + 20 (a DOUBLE, as Spark
    // divides)
    assertThat(runner.stdout()).contains("|     de|2| 45.0|");
  }
}
