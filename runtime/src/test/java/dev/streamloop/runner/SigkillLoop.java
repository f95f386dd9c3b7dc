package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.engine.checkpoint.MetadataLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Starts a real runner on a query again and again and kills it with SIGKILL at random moments,
 * until it has been killed {@code kills} times (every fourth kill lands inside a batch, between its
 * offsets and its commit); then runs it once more to the end.
 */
final class SigkillLoop {
  /** Work to add before each start (new input), so that every run has batches to be killed in. */
  interface BeforeStart {
    void run() throws Exception;
  }

  /**
   * What the kills hit.
   *
   * @param kills SIGKILLs delivered while the query ran.
   * @param midBatch Kills between a batch's offsets and its commit (re-run on restart).
   */
  record Result(int kills, int midBatch) {}

  /**
   * When kills land: every other kill at a random moment up to {@code afterStartedMs} after the
   * loop started, the others up to {@code afterProcessStartMs} after the process started.
   */
  record Timing(int afterStartedMs, int afterProcessStartMs) {}

  /** For runners whose batches begin at once after start-up (file sources and sinks). */
  static final Timing FAST_START = new Timing(300, 3_000);

  private SigkillLoop() {}

  static Result run(Path dir, Path query, int kills, BeforeStart beforeStart) throws Exception {
    return run(dir, query, kills, FAST_START, beforeStart);
  }

  static Result run(
      Path dir, Path query, int kills, Timing timing, BeforeStart beforeStart, String... extraArgs)
      throws Exception {
    Result result = killRepeatedly(dir, query, kills, timing, beforeStart, extraArgs);
    RunnerProcess last = RunnerProcess.start(dir, command(query, extraArgs));
    assertThat(last.exitCode(120)).as(last.stderr()).isZero();
    return result;
  }

  private static String[] command(Path query, String... extraArgs) {
    List<String> args =
        new ArrayList<>(List.of("run", "--query", query.toString(), "--checkpoint", "cp"));
    args.addAll(List.of(extraArgs));
    return args.toArray(String[]::new);
  }

  /** The kills without the final run: the query may go on as another one (a new generation). */
  static Result killRepeatedly(
      Path dir, Path query, int kills, Timing timing, BeforeStart beforeStart, String... extraArgs)
      throws Exception {
    String[] command = command(query, extraArgs);
    Random random = new Random(42);
    int killed = 0;
    int midBatch = 0;
    while (killed < kills) {
      beforeStart.run();
      RunnerProcess runner = RunnerProcess.start(dir, command);
      // The kill moment is the point of the test. Every other kill lands at a random moment
      // after the loop started (inside the batches); the others at a random moment from the
      // process start (often during start-up and recovery).
      // Every fourth kill waits for a new batch to be logged and lands before its commit, so
      // that re-running a batch is exercised on every run of the test, not only when chance
      // places enough kills there.
      boolean targeted = killed % 4 == 3;
      long loggedBefore = latestBatch(dir.resolve("cp").resolve("offsets"));
      if (killed % 2 == 0) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> !runner.isAlive() || runner.stderr().contains(" started (run "));
      }
      if (targeted) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(1))
            .until(
                () ->
                    !runner.isAlive()
                        || latestBatch(dir.resolve("cp").resolve("offsets")) > loggedBefore
                            && uncommittedBatch(dir.resolve("cp")));
      }
      boolean exited =
          targeted
              ? !runner.isAlive()
              : runner.exitedWithin(
                  random.nextInt(
                      killed % 2 == 0 ? timing.afterStartedMs() : timing.afterProcessStartMs()));
      if (!exited) {
        runner.sigkill();
        if (System.getenv("SIGKILL_DEBUG") != null) { // where the kills land, when tuning Timing
          System.out.println("=== killed\n" + runner.stderr());
        }
        killed++;
        if (uncommittedBatch(dir.resolve("cp"))) {
          midBatch++;
        }
      } else {
        assertThat(runner.exitValue()).as(runner.stderr()).isZero();
      }
    }
    return new Result(killed, midBatch);
  }

  /** Whether the checkpoint has a batch whose offsets are logged but not its commit. */
  private static boolean uncommittedBatch(Path checkpoint) throws Exception {
    long latest = latestBatch(checkpoint.resolve("offsets"));
    return latest >= 0
        && !Files.exists(checkpoint.resolve("commits").resolve(Long.toString(latest)));
  }

  /** The highest batch id in a checkpoint log directory, -1 when it has none. */
  private static long latestBatch(Path log) {
    return new MetadataLog(log).latestId().orElse(-1);
  }
}
