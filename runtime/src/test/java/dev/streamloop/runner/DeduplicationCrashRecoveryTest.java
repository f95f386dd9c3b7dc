package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash test of the deduplication: orders delivered twice (each file repeats the orders of the
 * file before it, well within the watermark's delay), the runner killed with SIGKILL at random
 * moments at least 20 times; after a final clean run the sink holds what one uninterrupted run
 * gives: every order exactly once.
 */
class DeduplicationCrashRecoveryTest {
  private static final int ORDERS_PER_FILE = 3_000;
  private static final long MS_PER_ORDER = 10; // 3,000 orders = 30 s of event time per file
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void everyOrderExactlyOnceAcrossTwentySigkills(String store) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path query = dir.resolve("query.yaml");
    Files.writeString(
        query,
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: dedup}
        spec:
          sources:
            - name: orders
              file: {path: /data/in, maxFilesPerTrigger: 1}
              schema: [{name: ts, type: timestamp}, {name: id, type: long}]
              watermark: {column: ts, delay: 90s}
          query: >-
            SELECT id, ts FROM (SELECT id, ts, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts)
            AS rn FROM orders) WHERE rn = 1
          sinks:
            - name: out
              file: {path: /data/out}
          outputMode: append
          trigger: {availableNow: {}}
          state: {store: %s}
          runner:
            volumes: [{name: data, mountPath: /data, emptyDir: {}}]
        """
            .formatted(store));

    int[] files = {0};
    SigkillLoop.Result result =
        SigkillLoop.run(
            dir,
            query,
            20,
            () -> {
              writeFile(in, files[0]++);
              writeFile(in, files[0]++);
            });

    Set<Long> emitted = new HashSet<>();
    List<Long> twice = new ArrayList<>();
    for (String line : RunnerCliFixture.committedOutput(dir.resolve("out")).lines().toList()) {
      long id = JSON.readTree(line).get("id").asLong();
      if (!emitted.add(id)) {
        twice.add(id);
      }
    }
    System.out.printf(
        "deduplication crash test (%s store): %d SIGKILLs, %d between a batch's offsets and its"
            + " commit, %d files, %d orders%n",
        store, result.kills(), result.midBatch(), files[0], emitted.size());
    assertThat(result.kills()).isGreaterThanOrEqualTo(20);
    assertThat(result.midBatch()).isGreaterThanOrEqualTo(3);
    assertThat(twice).as("orders emitted twice").isEmpty();
    assertThat(emitted).hasSize(files[0] * ORDERS_PER_FILE);
    assertThat(emitted).allMatch(id -> id >= 0 && id < (long) files[0] * ORDERS_PER_FILE);
  }

  /** File {@code f}: its own orders, then the orders of file {@code f - 1} again. */
  private static void writeFile(Path in, int f) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int file = f; file >= Math.max(0, f - 1); file--) {
      for (int r = 0; r < ORDERS_PER_FILE; r++) {
        long id = (long) file * ORDERS_PER_FILE + r;
        lines
            .append("{\"ts\":")
            .append(id * MS_PER_ORDER)
            .append(",\"id\":")
            .append(id)
            .append("}\n");
      }
    }
    Path temp = in.resolve(".part-%03d.json.tmp".formatted(f));
    Files.writeString(temp, lines);
    Files.setLastModifiedTime(temp, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
    Files.move(temp, in.resolve("part-%03d.json".formatted(f)));
  }
}
