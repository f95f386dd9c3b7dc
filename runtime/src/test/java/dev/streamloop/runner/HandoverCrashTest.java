package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.engine.sink.FileSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across an edit of the SQL, with SIGKILLs on both sides of the switch: the new query
 * takes over at the old one's last batch (a batch logged but not committed by the old SQL is run by
 * the new one), so the sink holds every row once: the old SQL's rows up to the last batch the old
 * SQL committed to the sink, the new SQL's after it.
 */
class HandoverCrashTest {
  private static final int ROWS_PER_FILE = 10_000;
  private static final int KILLS = 10;

  @TempDir Path dir;

  private Path query(String name, String generation) throws Exception {
    Path query = dir.resolve(name + ".yaml");
    Files.writeString(
        query,
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: handover}
        spec:
          sources:
            - name: events
              file: {path: /data/in, maxFilesPerTrigger: 1}
              schema: [{name: id, type: long}]
          query: SELECT id, '%s' AS gen FROM events
          sinks:
            - name: out
              file: {path: /data/out}
          trigger: {availableNow: {}}
          runner:
            volumes: [{name: data, mountPath: /data, emptyDir: {}}]
        """
            .formatted(generation));
    return query;
  }

  @Test
  void everyRowOnceWithTheOldSqlUpToItsLastBatchAndTheNewOneAfter() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    int[] files = {0};
    SigkillLoop.BeforeStart moreInput =
        () -> {
          writeFile(in, files[0]++);
          writeFile(in, files[0]++);
        };

    SigkillLoop.Result old =
        SigkillLoop.killRepeatedly(
            dir, query("old", "a"), KILLS, SigkillLoop.FAST_START, moreInput);
    long lastOld = FileSink.committedBatches(dir.resolve("out")).lastKey();
    SigkillLoop.Result next = SigkillLoop.run(dir, query("new", "b"), KILLS, moreInput);

    BitSet seen = new BitSet();
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<Long, List<Path>> batch :
        FileSink.committedBatches(dir.resolve("out")).entrySet()) {
      String expected = batch.getKey() <= lastOld ? "a" : "b";
      for (Path part : batch.getValue()) {
        for (String line : Files.readAllLines(part)) {
          int id = Integer.parseInt(line.substring(6, line.indexOf(',')));
          if (seen.get(id) || !line.endsWith("\"gen\":\"" + expected + "\"}")) {
            wrong.add("batch " + batch.getKey() + ": " + line);
          }
          seen.set(id);
        }
      }
    }
    System.out.printf(
        "handover crash test: %d + %d SIGKILLs (%d + %d mid-batch), old SQL up to batch %d, %d"
            + " rows%n",
        old.kills(), next.kills(), old.midBatch(), next.midBatch(), lastOld, seen.cardinality());
    assertThat(old.midBatch() + next.midBatch()).isGreaterThanOrEqualTo(3);
    assertThat(wrong).as("rows twice or from the other SQL").isEmpty();
    assertThat(seen.cardinality()).as("rows").isEqualTo(files[0] * ROWS_PER_FILE);
  }

  private static void writeFile(Path in, int f) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int r = 0; r < ROWS_PER_FILE; r++) {
      lines.append("{\"id\":").append((long) f * ROWS_PER_FILE + r).append("}\n");
    }
    Path temp = in.resolveSibling("part-" + f + ".tmp");
    Files.writeString(temp, lines);
    // increasing modification times: maxFilesPerTrigger takes the oldest first
    Files.setLastModifiedTime(temp, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
    Files.move(temp, in.resolve("part-%03d.json".formatted(f)));
  }
}
