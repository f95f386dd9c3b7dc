package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The crash test of a join of two streams: impressions and the clicks on every third of them two
 * seconds later, joined within five seconds, the runner killed with SIGKILL at random moments at
 * least 20 times; after a final clean run the sink holds what one uninterrupted run gives: every
 * clicked impression exactly once, and with a left outer join every other impression once with
 * NULLs as soon as the watermark has passed it.
 */
class StreamStreamJoinCrashRecoveryTest {
  private static final int IMPRESSIONS_PER_FILE = 1_000;
  private static final long MS_PER_IMPRESSION = 10; // 10 s of event time per file
  private static final long CLICK_AFTER_MS = 2_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"heap, JOIN", "rocksdb, LEFT JOIN"})
  void everyClickedImpressionExactlyOnceAcrossTwentySigkills(String store, String join)
      throws Exception {
    Path impressions = Files.createDirectories(dir.resolve("impressions"));
    Path clicks = Files.createDirectories(dir.resolve("clicks"));
    Path query = dir.resolve("query.yaml");
    Files.writeString(
        query,
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: joins}
        spec:
          sources:
            - name: impressions
              file: {path: /data/impressions, maxFilesPerTrigger: 1}
              schema: [{name: ts, type: timestamp}, {name: id, type: long}]
              watermark: {column: ts, delay: 30s}
            - name: clicks
              file: {path: /data/clicks, maxFilesPerTrigger: 1}
              schema: [{name: ts, type: timestamp}, {name: id, type: long}]
              watermark: {column: ts, delay: 30s}
          query: >-
            SELECT i.id, i.ts AS its, c.ts FROM impressions i %s clicks c ON i.id = c.id
            AND c.ts BETWEEN i.ts AND i.ts + INTERVAL '5' SECOND
          sinks:
            - name: out
              file: {path: /data/out}
          outputMode: append
          trigger: {availableNow: {}}
          state: {store: %s}
          runner:
            volumes: [{name: data, mountPath: /data, emptyDir: {}}]
        """
            .formatted(join, store));

    int[] files = {0};
    SigkillLoop.Result result =
        SigkillLoop.run(
            dir,
            query,
            20,
            () -> {
              for (int i = 0; i < 2; i++) {
                writeFile(impressions, files[0], false);
                writeFile(clicks, files[0]++, true);
              }
            });

    Set<Long> joined = new HashSet<>();
    Set<Long> unmatched = new HashSet<>();
    List<Long> twice = new ArrayList<>();
    for (String line : RunnerCliFixture.committedOutput(dir.resolve("out")).lines().toList()) {
      JsonNode row = JSON.readTree(line);
      long id = row.get("id").asLong();
      if (!(row.hasNonNull("ts") ? joined : unmatched).add(id)) {
        twice.add(id);
      }
    }
    System.out.printf(
        "stream-stream %s crash test (%s store): %d SIGKILLs, %d between a batch's offsets and"
            + " its commit, %d file pairs, %d joined rows, %d emitted unmatched%n",
        join, store, result.kills(), result.midBatch(), files[0], joined.size(), unmatched.size());
    assertThat(result.kills()).isGreaterThanOrEqualTo(20);
    assertThat(result.midBatch()).isGreaterThanOrEqualTo(3);
    assertThat(twice).as("impressions joined twice").isEmpty();
    long impressionCount = (long) files[0] * IMPRESSIONS_PER_FILE;
    long clicked = (impressionCount + 2) / 3; // ids 0, 3, 6, ...
    assertThat(joined).hasSize((int) clicked);
    assertThat(joined).allMatch(id -> id % 3 == 0 && id < impressionCount);
    if (join.equals("JOIN")) {
      assertThat(unmatched).isEmpty();
      return;
    }
    // the last impressions' time range is not yet behind the watermark (delay 30 s, range 5 s)
    long emittedBelow = ((impressionCount - 1) * MS_PER_IMPRESSION - 35_000) / MS_PER_IMPRESSION;
    assertThat(unmatched).allMatch(id -> id % 3 != 0 && id < impressionCount);
    assertThat(unmatched)
        .as("every impression without a click, once the watermark passed it")
        .containsAll(LongStream.range(0, emittedBelow).filter(id -> id % 3 != 0).boxed().toList());
  }

  /** File {@code f} of impressions, or of the clicks on every third of them. */
  private static void writeFile(Path dir, int f, boolean clicks) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int r = 0; r < IMPRESSIONS_PER_FILE; r++) {
      long id = (long) f * IMPRESSIONS_PER_FILE + r;
      if (clicks && id % 3 != 0) {
        continue;
      }
      long ts = id * MS_PER_IMPRESSION + (clicks ? CLICK_AFTER_MS : 0);
      lines.append("{\"ts\":").append(ts).append(",\"id\":").append(id).append("}\n");
    }
    Path temp = dir.resolve(".part-%03d.json.tmp".formatted(f));
    Files.writeString(temp, lines);
    Files.setLastModifiedTime(temp, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
    Files.move(temp, dir.resolve("part-%03d.json".formatted(f)));
  }
}
