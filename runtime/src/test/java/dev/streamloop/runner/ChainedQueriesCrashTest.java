package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.engine.sink.FileSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two queries in a chain, as users build pipelines: the first writes files, the second reads the
 * first one's output directory with a file source. Both are killed with SIGKILL at random moments,
 * again and again; the second must read only batches the first committed (its {@code
 * _spark_metadata}), so that the end result holds every row exactly once, although the first
 * query's killed batches leave part files behind and are re-run.
 */
class ChainedQueriesCrashTest {
  private static final int ROWS_PER_FILE = 100_000;
  private static final int ROUNDS = 16;

  @TempDir Path dir;

  private Path query(String name, Path in, Path out) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: %s}
        spec:
          sources:
            - name: events
              file: {path: %s, maxFilesPerTrigger: 1}
              schema: [{name: id, type: long}]
          query: SELECT id FROM events
          sinks:
            - name: out
              file: {path: %s}
          trigger: {availableNow: {}}
          runner:
            volumes: [{name: data, mountPath: /data, emptyDir: {}}]
        """
            .formatted(name, "/data/" + dir.relativize(in), "/data/" + dir.relativize(out)));
    return file;
  }

  private RunnerProcess start(Path query, String checkpoint) throws Exception {
    return RunnerProcess.start(dir, "run", "--query", query.toString(), "--checkpoint", checkpoint);
  }

  @Test
  void everyRowReachesTheEndOfTheChainExactlyOnceAcrossSigkillsInBothQueries() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path mid = dir.resolve("mid");
    Path out = dir.resolve("out");
    Path first = query("first", in, mid);
    Path second = query("second", Files.createDirectories(mid), out);
    Random random = new Random(7);
    int files = 0;
    int kills = 0;
    int leftovers = 0;
    for (int round = 0; round < ROUNDS; round++) {
      writeFile(in, files++);
      writeFile(in, files++);
      // the first query is killed at a random moment, often between writing a batch's part
      // files and committing them; the second runs (and is killed) before the first restarts
      // and cleans up, so that it finds those part files in the directory
      for (Path query : List.of(first, second)) {
        RunnerProcess runner = start(query, query == first ? "cp-first" : "cp-second");
        // inside the batches: a random moment after the loop started
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> !runner.isAlive() || runner.stderr().contains(" started (run "));
        if (!runner.exitedWithin(random.nextInt(400))) {
          runner.sigkill();
          kills++;
          if (query == first && uncommittedPartFiles(mid) > 0) {
            leftovers++;
          }
        } else {
          assertThat(runner.exitValue()).as(runner.stderr()).isZero();
        }
      }
    }
    // then both run to the end, the first one first, so that the second sees everything
    RunnerProcess upstream = start(first, "cp-first");
    assertThat(upstream.exitCode(120)).as(upstream.stderr()).isZero();
    RunnerProcess downstream = start(second, "cp-second");
    assertThat(downstream.exitCode(120)).as(downstream.stderr()).isZero();

    BitSet seen = new BitSet();
    List<Integer> duplicates = new ArrayList<>();
    for (Path part : FileSink.committedFiles(out)) {
      for (String line : Files.readAllLines(part)) {
        int id = Integer.parseInt(line.substring(6, line.length() - 1));
        if (seen.get(id)) {
          duplicates.add(id);
        }
        seen.set(id);
      }
    }
    System.out.printf(
        "chain crash test: %d SIGKILLs over %d rounds, %d left uncommitted part files%n",
        kills, ROUNDS, leftovers);
    assertThat(leftovers)
        .as("kills of the first query that left part files of an uncommitted batch behind")
        .isGreaterThanOrEqualTo(3);
    assertThat(duplicates).as("rows written twice at the end of the chain").isEmpty();
    assertThat(seen.cardinality()).as("rows at the end").isEqualTo(files * ROWS_PER_FILE);
  }

  /** Part files in {@code dir} that its manifest does not list. */
  private static long uncommittedPartFiles(Path dir) throws Exception {
    var committed = new java.util.HashSet<>(FileSink.committedFiles(dir));
    try (var files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("part-"))
          .filter(f -> !committed.contains(f))
          .count();
    }
  }

  private static void writeFile(Path in, int f) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int r = 0; r < ROWS_PER_FILE; r++) {
      lines.append("{\"id\":").append((long) f * ROWS_PER_FILE + r).append("}\n");
    }
    Path temp = in.resolve(".part-%03d.json.tmp".formatted(f));
    Files.writeString(temp, lines);
    Files.setLastModifiedTime(temp, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
    Files.move(temp, in.resolve("part-%03d.json".formatted(f)));
  }
}
