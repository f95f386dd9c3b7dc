package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.engine.sink.FileSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real runner with SIGKILL at random moments, again and again, while a file → file query
 * runs; after a final clean run the sink (read through its manifest) holds every selected input row
 * exactly once.
 */
class CrashRecoveryTest {
  private static final int ROWS_PER_FILE = 20_000;
  private static final int KILLS = 20;

  @TempDir Path dir;

  @Test
  void everyRowExactlyOnceAcrossTwentySigkills() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path query = dir.resolve("query.yaml");
    Files.writeString(
        query,
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: crash}
        spec:
          sources:
            - name: events
              file: {path: %s, maxFilesPerTrigger: 1}
              schema: [{name: id, type: long}, {name: amount, type: int}]
          query: SELECT id, amount * 2 AS doubled FROM events WHERE amount <> 3
          sinks:
            - name: out
              file: {path: %s}
          trigger: {availableNow: {}}
          runner:
            volumes: [{name: data, mountPath: /data, emptyDir: {}}]
        """
            .formatted("/data/in", "/data/out"));

    int[] files = {0};
    SigkillLoop.Result result =
        SigkillLoop.run(
            dir,
            query,
            KILLS,
            () -> {
              // new files keep arriving, so every run has work to be killed in the middle of
              writeFile(in, files[0]++);
              writeFile(in, files[0]++);
            });

    BitSet seen = new BitSet();
    List<Long> duplicates = new ArrayList<>();
    for (Path part : FileSink.committedFiles(dir.resolve("out"))) {
      for (String line : Files.readAllLines(part)) {
        int id = Integer.parseInt(line.substring(6, line.indexOf(',')));
        assertThat(line).isEqualTo("{\"id\":" + id + ",\"doubled\":" + (id % 10) * 2 + "}");
        if (seen.get(id)) {
          duplicates.add((long) id);
        }
        seen.set(id);
      }
    }
    List<Long> missing = new ArrayList<>();
    for (int id = 0; id < files[0] * ROWS_PER_FILE; id++) {
      if (id % 10 != 3 && !seen.get(id)) {
        missing.add((long) id);
      }
    }
    System.out.printf(
        "crash test: %d SIGKILLs, %d between a batch's offsets and its commit, %d files, %d rows%n",
        result.kills(), result.midBatch(), files[0], seen.cardinality());
    assertThat(result.kills())
        .as("SIGKILLs delivered while the query ran")
        .isGreaterThanOrEqualTo(KILLS);
    assertThat(result.midBatch())
        .as("kills that landed between a batch's offsets and its commit (re-run on restart)")
        .isGreaterThanOrEqualTo(3);
    assertThat(duplicates).as("rows written twice").isEmpty();
    assertThat(missing).as("rows lost").isEmpty();
    assertThat(seen.cardinality()).isEqualTo(files[0] * ROWS_PER_FILE * 9 / 10);
  }

  private static void writeFile(Path in, int f) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int r = 0; r < ROWS_PER_FILE; r++) {
      long id = (long) f * ROWS_PER_FILE + r;
      lines.append("{\"id\":").append(id).append(",\"amount\":").append(id % 10).append("}\n");
    }
    Path temp = in.resolve(".part-%03d.json.tmp".formatted(f));
    Files.writeString(temp, lines);
    Files.setLastModifiedTime(temp, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
    // files appear atomically, as the file source expects
    Files.move(temp, in.resolve("part-%03d.json".formatted(f)));
  }
}
