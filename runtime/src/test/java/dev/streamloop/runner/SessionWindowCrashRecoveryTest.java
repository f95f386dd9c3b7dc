package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The crash test of session windows: users active for runs of files (one event a second, a pause of
 * a whole file ends a session), sessions of a 5-second gap spanning many batches, the runner killed
 * with SIGKILL at random moments at least 20 times; after a final clean run the sink holds what one
 * uninterrupted run gives: every session the watermark closed, once, with all its events.
 */
class SessionWindowCrashRecoveryTest {
  private static final int USERS = 40;
  private static final long FILE_MS = 30_000; // each file: 30 s of event time, one event a second
  private static final long GAP_MS = 5_000;
  private static final long DELAY_MS = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void everyClosedSessionExactlyOnceAcrossTwentySigkills(String store) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path query = dir.resolve("query.yaml");
    Files.writeString(
        query,
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: sessions}
        spec:
          sources:
            - name: events
              file: {path: /data/in, maxFilesPerTrigger: 1}
              schema: [{name: ts, type: timestamp}, {name: user, type: long}]
              watermark: {column: ts, delay: 10s}
          query: >-
            SELECT user, session_window.start, session_window.end, COUNT(*) AS n FROM events
            GROUP BY user, session_window(ts, '5 seconds')
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

    Map<String, Long> emitted = new HashMap<>();
    List<String> twice = new ArrayList<>();
    for (String line : RunnerCliFixture.committedOutput(dir.resolve("out")).lines().toList()) {
      JsonNode row = JSON.readTree(line);
      String session =
          row.get("user").asLong()
              + " "
              + Instant.parse(row.get("start").asText()).toEpochMilli()
              + "-"
              + Instant.parse(row.get("end").asText()).toEpochMilli();
      if (emitted.put(session, row.get("n").asLong()) != null) {
        twice.add(session);
      }
    }
    System.out.printf(
        "session window crash test (%s store): %d SIGKILLs, %d between a batch's offsets and its"
            + " commit, %d files, %d sessions%n",
        store, result.kills(), result.midBatch(), files[0], emitted.size());
    assertThat(result.kills()).isGreaterThanOrEqualTo(20);
    assertThat(result.midBatch()).isGreaterThanOrEqualTo(3);
    assertThat(twice).as("sessions emitted twice").isEmpty();
    assertThat(emitted).isEqualTo(expectedSessions(files[0]));
  }

  /** Whether {@code user} has events in file {@code f}: every fourth file is a pause. */
  private static boolean active(int user, int f) {
    return (f + user) % 4 != 3;
  }

  /**
   * One uninterrupted run: a user's run of active files is one session, from its first event to its
   * last plus the gap, emitted when the final watermark (the last event time minus the delay)
   * reaches its end.
   */
  private static Map<String, Long> expectedSessions(int files) {
    long lastEventTime = 0;
    for (int user = 0; user < USERS; user++) {
      if (active(user, files - 1)) {
        lastEventTime = Math.max(lastEventTime, eventTime(files - 1, 29, user));
      }
    }
    long watermark = lastEventTime - DELAY_MS;
    Map<String, Long> expected = new HashMap<>();
    for (int user = 0; user < USERS; user++) {
      int f = 0;
      while (f < files) {
        if (!active(user, f)) {
          f++;
          continue;
        }
        int first = f;
        while (f < files && active(user, f)) {
          f++;
        }
        long start = eventTime(first, 0, user);
        long end = eventTime(f - 1, 29, user) + GAP_MS;
        if (end <= watermark) {
          expected.put(user + " " + start + "-" + end, 30L * (f - first));
        }
      }
    }
    return expected;
  }

  private static long eventTime(int file, int second, int user) {
    return file * FILE_MS + second * 1000L + user;
  }

  private static void writeFile(Path in, int f) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int second = 0; second < 30; second++) {
      for (int user = 0; user < USERS; user++) {
        if (active(user, f)) {
          lines
              .append("{\"ts\":")
              .append(eventTime(f, second, user))
              .append(",\"user\":")
              .append(user)
              .append("}\n");
        }
      }
    }
    Path temp = in.resolve(".part-%03d.json.tmp".formatted(f));
    Files.writeString(temp, lines);
    Files.setLastModifiedTime(temp, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
    Files.move(temp, in.resolve("part-%03d.json".formatted(f)));
  }
}
