package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner as a process: exit codes and messages for good and bad input (docs/architecture.md,
 * runner contract).
 */
class RunnerCliTest {
  @TempDir Path dir;

  private static java.net.http.HttpResponse<String> get(String url) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private Path query(String name, String spec) throws Exception {
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
  private RunnerProcess runWithTerminationLog(Path query) throws Exception {
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

  private String fileToFile(String query, String policy) throws Exception {
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
        .formatted(dir.resolve("in"), query, dir.resolve("out"), policy);
  }

  @Test
  void aSecondRunnerOnACheckpointInUseFailsFastAndTheFirstKeepsRunning() throws Exception {
    Path file =
        query(
            "locked",
            """
            sources:
              - name: ticks
                rate: {rowsPerSecond: 10}
            query: SELECT value FROM ticks
            sinks:
              - name: out
                file: {path: %s}
            trigger: {processingTime: 1s}
            """
                .formatted(dir.resolve("out")));
    // both at once: whichever takes the lock first runs, the other is refused, in either order
    RunnerProcess first =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");
    RunnerProcess second =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !first.isAlive() || !second.isAlive());
      RunnerProcess refused = first.isAlive() ? second : first;
      RunnerProcess running = refused == first ? second : first;

      assertThat(refused.exitCode(10)).as(refused.stderr()).isEqualTo(ExitCodes.FAILED);
      assertThat(refused.stderr())
          .contains("checkpoint cp is in use by another runner since ")
          .doesNotContain("inconsistent");
      await().atMost(Duration.ofSeconds(60)).until(() -> running.stderr().contains("batch 1:"));
      assertThat(running.isAlive()).isTrue();
    } finally {
      first.sigkill();
      second.sigkill();
    }
  }

  @Test
  void validatePrintsEverySqlAndSchemaErrorAndExits2() throws Exception {
    Path bad = query("bad", fileToFile("SELECT id, contry FROM orders", "Fail"));
    Path invalid = query("invalid", "sources: []\nquery: x\nsinks: []\n");

    RunnerProcess runner = RunnerProcess.start(dir, "validate", bad.toString(), invalid.toString());

    assertThat(runner.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(runner.stdout())
        .contains("spec.query: SQL error at line 1, column 12")
        .contains("did you mean 'country'?")
        .contains(
            "spec.sources: Invalid value: 0: spec.sources in body should have at least 1 items")
        .contains("spec.sinks: Invalid value: 0: spec.sinks in body should have at least 1 items");
  }

  @Test
  void runProcessesAvailableNowAndExits0() throws Exception {
    Path file =
        query("ok", fileToFile("SELECT id, UPPER(country) AS c FROM orders WHERE id > 1", "Fail"));
    Files.writeString(
        dir.resolve("in/a.json"), "{\"id\":1,\"country\":\"de\"}\n{\"id\":2,\"country\":\"fr\"}\n");

    RunnerProcess runner = runWithTerminationLog(file);

    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(dir.resolve("out/_spark_metadata/0"))).contains("part-00000-");
    assertThat(runner.stderr()).contains("batch 0: 2 rows");
    // for the operator's run history: the figures of this run as the message's last line
    assertThat(Files.readAllLines(dir.resolve("termination-log")))
        .containsExactly(
            Files.readAllLines(dir.resolve("termination-log")).get(0),
            "{\"batches\":1,\"numInputRows\":2,\"lastBatchId\":0}");
    assertThat(Files.readString(dir.resolve("termination-log")))
        .startsWith("stopped: 1 batch(es), 2 input row(s), last batch 0 at ");
  }

  @Test
  void aRunnerOfSeveralReadsItsShareOfTheFilesAndWritesItsOwnSinkDirectory() throws Exception {
    Path file = query("shared", fileToFile("SELECT id FROM orders", "Fail"));
    long expected = 0;
    for (int i = 0; i < 8; i++) {
      Path input = dir.resolve("in/f" + i + ".json");
      Files.writeString(input, "{\"id\":" + i + ",\"country\":\"de\"}\n");
      if (new dev.streamloop.engine.Share(1, 2).owns(input.toString())) {
        expected++;
      }
    }

    RunnerProcess runner =
        RunnerProcess.start(
            dir,
            "run",
            "--query",
            file.toString(),
            "--checkpoint",
            "cp-1",
            "--replica-index",
            "1",
            "--replica-count",
            "2");

    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.OK);
    assertThat(dir.resolve("out/_spark_metadata")).doesNotExist();
    assertThat(runner.stderr()).contains("batch 0: " + expected + " rows");
    assertThat(Files.readString(dir.resolve("out/replica-1/_spark_metadata/0")))
        .contains("part-00000-");
  }

  @Test
  void stateLargerThanTheHeapStopsWithExit2AndSaysHowToSizeIt() throws Exception {
    Path file =
        query(
            "keys",
            """
            sources:
              - name: events
                rate: {rowsPerBatch: 3000000}
            query: 'SELECT "value" AS k, COUNT(*) AS c FROM events GROUP BY "value"'
            sinks:
              - name: out
                console: {numRows: 1}
            outputMode: update
            trigger: {availableNow: {}}
            """);

    RunnerProcess runner = runWithTerminationLog(file);

    assertThat(runner.exitCode(120)).as(runner.stderr()).isEqualTo(ExitCodes.INVALID);
    assertThat(Files.readString(dir.resolve("termination-log")))
        .contains("more than this runner's heap of")
        .contains("raise spec.runner.resources.limits.memory");
  }

  @Test
  void aCorruptOffsetsFileStopsTheRunnerWithExit2AndNamesTheFile() throws Exception {
    Path file = query("ok", fileToFile("SELECT id FROM orders", "Fail"));
    Files.writeString(dir.resolve("in/a.json"), "{\"id\":1,\"country\":\"de\"}\n");
    assertThat(
            RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp")
                .exitCode(60))
        .isZero();
    Files.writeString(dir.resolve("cp/offsets/0"), "v1\n{\"batchWatermarkMs\":0,\"batchTi");

    RunnerProcess runner = runWithTerminationLog(file);

    assertThat(runner.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(runner.stderr()).contains("checkpoint file cp/offsets/0: truncated");
    assertThat(Files.readString(dir.resolve("termination-log"))).contains("cp/offsets/0");
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
        .contains("field \"id\": \"x\" is not a valid long");
  }

  @Test
  void anUnwritableSinkDirectoryExits2WithTheFix() throws Exception {
    Files.writeString(dir.resolve("out"), "a file where the sink directory should be");
    Path file = query("ok", fileToFile("SELECT id FROM orders", "Fail"));

    RunnerProcess runner =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");

    assertThat(runner.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(runner.stderr()).contains("is not writable").contains("spec.runner.volumes");
  }

  @Test
  void sigtermStopsAfterTheBatchInFlightAndExits0() throws Exception {
    Path file =
        query(
            "ticks",
            """
            sources:
              - name: ticks
                rate: {rowsPerBatch: 5}
            query: SELECT "value" FROM ticks
            sinks:
              - name: out
                file: {path: %s}
            trigger: {processingTime: 200ms}
            """
                .formatted(dir.resolve("out")));
    RunnerProcess runner =
        RunnerProcess.start(
            dir, "run", "--query", file.toString(), "--checkpoint", "cp", "--http-port", "0");
    await().atMost(Duration.ofSeconds(60)).until(() -> runner.stderr().contains("batch 2:"));

    runner.sigterm();

    assertThat(runner.exitCode(30)).isEqualTo(ExitCodes.OK);
    assertThat(runner.stderr()).contains("query stopped");
    long offsets;
    long commits;
    try (var o = Files.list(dir.resolve("cp/offsets"));
        var c = Files.list(dir.resolve("cp/commits"))) {
      offsets = o.count();
      commits = c.count();
    }
    assertThat(commits).as("every started batch was committed before exit").isEqualTo(offsets);
  }
}
