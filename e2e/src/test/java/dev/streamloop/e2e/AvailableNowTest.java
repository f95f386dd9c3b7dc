package dev.streamloop.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.RunRecord;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Available-now queries run as Jobs: once, and on a schedule with concurrencyPolicy Forbid. */
class AvailableNowTest {
  static final String FILES_TO_FILE =
      """
      apiVersion: streamloop.dev/v1alpha1
      kind: StreamingQuery
      metadata:
        name: catch-up
      spec:
        sources:
          - name: events
            file: {path: /data/in/*.json, maxFilesPerTrigger: 2}
            format: json
            schema:
              - {name: value, type: long}
        query: SELECT "value" FROM events
        sinks:
          - name: out
            file: {path: /data/out}
            format: json
        trigger:
          availableNow: %s
        runner:
          terminationGracePeriodSeconds: 10
          volumes:
            - name: data
              mountPath: /data
              persistentVolumeClaim: {claimName: data}
      """;

  @Test
  void aRunCompletesAsAJobAndItsRunIsInStatus() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("available-now");
    writeInput(e2e.data(ns), 0, 5);

    e2e.apply(ns, FILES_TO_FILE.formatted("{}"));

    e2e.waitFor(ns, "catch-up", "Complete", "True", Duration.ofSeconds(90));
    StreamingQuery query = e2e.query(ns, "catch-up").get();
    assertThat(query.getStatus().phase()).isEqualTo(Phase.Succeeded);
    RunRecord run = query.getStatus().runs().get(0);
    assertThat(run.result()).isEqualTo(RunRecord.Result.Succeeded);
    assertThat(run.numInputRows()).isEqualTo(50);
    assertThat(run.batches()).isEqualTo(3); // 5 files, 2 per batch
    assertThat(e2e.client().batch().v1().jobs().inNamespace(ns).list().getItems())
        .anySatisfy(job -> assertThat(job.getMetadata().getName()).startsWith(run.name()));
    assertThat(E2eCluster.committedValues(e2e.data(ns).resolve("out")))
        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 50).boxed().toList());
  }

  @Test
  void aScheduledQueryRunsOnItsScheduleOneRunAtATime() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("scheduled");
    writeInput(e2e.data(ns), 0, 2);

    e2e.apply(ns, FILES_TO_FILE.formatted("{schedule: \"* * * * *\", concurrencyPolicy: Forbid}"));

    List<RunRecord> runs =
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> scheduledRuns(e2e.query(ns, "catch-up").get()),
                r ->
                    r.size() >= 2
                        && r.stream().allMatch(x -> x.result() == RunRecord.Result.Succeeded));
    // the second started after the first had ended (Forbid, and one minute apart)
    List<RunRecord> byStart =
        runs.stream().sorted(java.util.Comparator.comparing(RunRecord::startTime)).toList();
    RunRecord first = byStart.get(0);
    RunRecord second = byStart.get(1);
    assertThat(Instant.parse(second.startTime()))
        .isAfterOrEqualTo(Instant.parse(first.completionTime()));
    assertThat(first.numInputRows()).isEqualTo(20);
    assertThat(second.numInputRows()).isZero(); // nothing new arrived: read once, exactly
    assertThat(E2eCluster.committedValues(e2e.data(ns).resolve("out")))
        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 20).boxed().toList());
  }

  private static List<RunRecord> scheduledRuns(StreamingQuery query) {
    if (query.getStatus() == null || query.getStatus().runs() == null) {
      return List.of();
    }
    return query.getStatus().runs().stream().filter(r -> "Schedule".equals(r.reason())).toList();
  }

  /** Files {@code from}..{@code to-1} of ten values each: file f holds 10f..10f+9. */
  static void writeInput(Path data, int from, int to) throws Exception {
    Path in = data.resolve("in");
    Files.createDirectories(in);
    for (int f = from; f < to; f++) {
      StringBuilder lines = new StringBuilder();
      for (int v = 10 * f; v < 10 * f + 10; v++) {
        lines.append("{\"value\":").append(v).append("}\n");
      }
      Path tmp = in.resolve(".f" + f + ".tmp");
      Files.writeString(tmp, lines);
      Files.move(tmp, in.resolve("f" + f + ".json"));
    }
  }
}
