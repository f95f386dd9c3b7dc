package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The runner as a process: exit codes and messages for good and bad input (docs/architecture.md,
 * runner contract).
 */
class RunnerCliTest extends RunnerCliFixture {
  private static java.net.http.HttpResponse<String> get(String url) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRefusedWhileTheOtherRuns(RunnerProcess refused, RunnerProcess running)
      throws Exception {
    assertThat(refused.exitCode(30)).as(refused.stderr()).isEqualTo(ExitCodes.FAILED);
    assertThat(refused.stderr())
        .contains("checkpoint cp is in use by another runner since ")
        .doesNotContain("inconsistent");
    int batches = running.stderr().split("\nbatch ", -1).length;
    // the runner that holds the checkpoint goes on making batches after the refusal
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !running.isAlive() || running.stderr().split("\nbatch ", -1).length > batches);
    assertThat(running.isAlive()).as(running.stderr()).isTrue();
  }

  /** Every part file the sink's manifest lists exists: the refused runner deleted nothing. */
  private void assertNoCommittedFileLost() {
    assertThat(dev.streamloop.engine.sink.FileSink.committedFiles(dir.resolve("out")))
        .isNotEmpty()
        .allSatisfy(file -> assertThat(file).exists());
  }

  @Test
  void aRunnerStartedOnACheckpointInUseFailsFastAndTheRunningOneGoesOn() throws Exception {
    Path file = rateToFile();
    RunnerProcess first =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> first.stderr().contains("batch 1:"));
      RunnerProcess second =
          RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");
      assertRefusedWhileTheOtherRuns(second, first);
      // a second runner's start-up once deleted a part file the first had just committed
      assertNoCommittedFileLost();
    } finally {
      first.sigkill();
    }
  }

  @Test
  void twoRunnersStartedTogetherOnOneCheckpointLeaveOneRunning() throws Exception {
    Path file = rateToFile();
    // both at once: whichever takes the lock first runs, the other is refused, in either order
    RunnerProcess first =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");
    RunnerProcess second =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !first.isAlive() || !second.isAlive());
      RunnerProcess refused = first.isAlive() ? second : first;
      assertRefusedWhileTheOtherRuns(refused, refused == first ? second : first);
      assertNoCommittedFileLost();
    } finally {
      first.sigkill();
      second.sigkill();
    }
  }

  @Test
  void aFileSourceWhoseDirectoryDoesNotExistFailsAtStartWithThePath() throws Exception {
    Path file = query("ok", fileToFile("SELECT id FROM orders", "Fail"));
    Files.delete(dir.resolve("in"));

    RunnerProcess runner =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");

    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.FAILED);
    assertThat(runner.stderr())
        .contains(
            "spec.sources[0].file.path: Path does not exist: /data/in ("
                + dir.resolve("in")
                + " on this machine)")
        .contains("create the directory");
    assertThat(dir.resolve("cp/offsets")).doesNotExist();
  }

  @Test
  void aFileSourceGlobMayMatchNothingYet() throws Exception {
    Path file = query("ok", fileToFile("SELECT id FROM orders", "Fail"));
    Files.writeString(file, Files.readString(file).replace("/data/in}", "/data/in/*.json}"));
    Files.delete(dir.resolve("in"));

    RunnerProcess runner =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");

    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.OK);
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
  void anUnwritableSinkDirectoryExits2WithTheFix() throws Exception {
    Files.writeString(dir.resolve("out"), "a file where the sink directory should be");
    Path file = query("ok", fileToFile("SELECT id FROM orders", "Fail"));

    RunnerProcess runner =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "cp");

    assertThat(runner.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(runner.stderr()).contains("is not writable").contains("spec.runner.volumes");
  }

  @Test
  void theTerminationLogNamesTheBatchEvenWhenTheRunnerIsKilledWithoutAWord() throws Exception {
    Path file = rateToFile();
    RunnerProcess runner = runWithTerminationLog(file);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> runner.stderr().contains("batch 1:"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Files.readString(dir.resolve("termination-log"))
                      .contains("during the batch after batch "));
    } finally {
      runner.sigkill(); // as the kernel's OOM killer, or the JVM's exit on OutOfMemoryError
    }

    assertThat(Files.readString(dir.resolve("termination-log")))
        .contains("the runner ended during the batch after batch")
        .contains("with exit code 3 the JVM ran out of memory")
        .contains("spec.runner.resources.limits.memory");
  }

  @Test
  void aPortInUseAndACheckpointThatIsAFileAreNamed() throws Exception {
    Path file = rateToFile();
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      RunnerProcess busy =
          RunnerProcess.start(
              dir,
              "run",
              "--query",
              file.toString(),
              "--checkpoint",
              "cp",
              "--http-port",
              Integer.toString(taken.getLocalPort()));

      assertThat(busy.exitCode(60)).isEqualTo(ExitCodes.FAILED);
      assertThat(busy.stderr())
          .contains("cannot serve HTTP on port " + taken.getLocalPort())
          .contains("give --http-port a free port");
    }
    Files.writeString(dir.resolve("not-a-dir"), "x");
    RunnerProcess onAFile =
        RunnerProcess.start(dir, "run", "--query", file.toString(), "--checkpoint", "not-a-dir");

    assertThat(onAFile.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(onAFile.stderr()).contains("is a file where the checkpoint's directory should be");
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
                    .formatted("/data/out")
                + RunnerProcess.DATA_VOLUME);
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
