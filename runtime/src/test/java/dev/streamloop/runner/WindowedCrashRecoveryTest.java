package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamloop.engine.sink.FileSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash test with state: a windowed count in append mode over files, its runner killed with
 * SIGKILL at random moments at least 20 times; after a final clean run the sink holds exactly what
 * one uninterrupted run gives: every window the watermark closed, once, with its full count.
 */
class WindowedCrashRecoveryTest {
  private static final int ROWS_PER_FILE = 6_000;
  private static final long MS_PER_ROW = 10; // 6,000 rows = 60 s of event time per file
  private static final long WINDOW_MS = 30_000;
  private static final long DELAY_MS = 5_000;
  private static final String[] COUNTRIES = {"DE", "FR", "US"};
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void everyClosedWindowExactlyOnceWithItsFullCountAcrossTwentySigkills(String store)
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path query = dir.resolve("query.yaml");
    Files.writeString(
        query,
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: windows}
        spec:
          sources:
            - name: events
              file: {path: %s, maxFilesPerTrigger: 1}
              schema: [{name: ts, type: timestamp}, {name: country, type: string}]
              watermark: {column: ts, delay: 5s}
          query: >-
            SELECT window_start, country, COUNT(*) AS c
            FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '30' SECOND))
            GROUP BY window_start, window_end, country
          sinks:
            - name: out
              file: {path: %s}
          outputMode: append
          trigger: {availableNow: {}}
          state: {store: %s}
          runner:
            volumes: [{name: data, mountPath: /data, emptyDir: {}}]
        """
            .formatted("/data/in", "/data/out", store));

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

    Map<String, Long> emitted = new HashMap<>();
    List<String> twice = new ArrayList<>();
    for (Path part : FileSink.committedFiles(dir.resolve("out"))) {
      for (String line : Files.readAllLines(part)) {
        JsonNode row = JSON.readTree(line);
        long start = Instant.parse(row.get("window_start").asText()).toEpochMilli();
        String key = start + "/" + row.get("country").asText();
        if (emitted.put(key, row.get("c").asLong()) != null) {
          twice.add(key);
        }
      }
    }
    // One uninterrupted run: the watermark ends at the last event time minus the delay, and
    // every window ending at or before it is emitted with a third of its rows per country.
    long lastEventTime = (files[0] * (long) ROWS_PER_FILE - 1) * MS_PER_ROW;
    long watermark = lastEventTime - DELAY_MS;
    Map<String, Long> expected = new HashMap<>();
    for (long start = 0; start + WINDOW_MS <= watermark; start += WINDOW_MS) {
      for (String country : COUNTRIES) {
        expected.put(start + "/" + country, WINDOW_MS / MS_PER_ROW / 3);
      }
    }
    System.out.printf(
        "windowed crash test (%s store): %d SIGKILLs, %d between a batch's offsets and its"
            + " commit, %d files, %d windows%n",
        store, result.kills(), result.midBatch(), files[0], emitted.size());
    assertThat(result.kills()).isGreaterThanOrEqualTo(20);
    assertThat(result.midBatch()).isGreaterThanOrEqualTo(3);
    assertThat(twice).as("windows emitted twice").isEmpty();
    assertThat(emitted).isEqualTo(expected);
  }

  private static void writeFile(Path in, int f) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int r = 0; r < ROWS_PER_FILE; r++) {
      long id = (long) f * ROWS_PER_FILE + r;
      lines
          .append("{\"ts\":")
          .append(id * MS_PER_ROW)
          .append(",\"country\":\"")
          .append(COUNTRIES[(int) (id % 3)])
          .append("\"}\n");
    }
    Path temp = in.resolve(".part-%03d.json.tmp".formatted(f));
    Files.writeString(temp, lines);
    Files.setLastModifiedTime(temp, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
    Files.move(temp, in.resolve("part-%03d.json".formatted(f)));
  }
}
