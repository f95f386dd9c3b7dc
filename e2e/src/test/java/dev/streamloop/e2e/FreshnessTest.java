package dev.streamloop.e2e;

import static dev.streamloop.e2e.E2eCluster.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.QueryLag;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.controlplane.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Lag and freshness on the real control plane: a file source with a backlog of two-hour-old files
 * reads one file a batch; status.lag counts the files behind, Fresh is False with a Warning event
 * while the old files wait, and `kubectl wait --for=condition=CaughtUp` returns once they are read
 * (Fresh True again, with a Normal event).
 */
class FreshnessTest {
  private static final String BACKLOG =
      """
      apiVersion: streamloop.dev/v1alpha1
      kind: StreamingQuery
      metadata:
        name: backlog
      spec:
        sources:
          - name: events
            file: {path: /data/in/*.json, maxFilesPerTrigger: 1}
            format: json
            schema:
              - {name: value, type: long}
        query: SELECT "value" FROM events
        sinks:
          - name: out
            console: {}
        trigger: {processingTime: 3s}
        freshness: {maxLag: 30m}
        runner:
          terminationGracePeriodSeconds: 10
          volumes:
            - name: data
              mountPath: /data
              persistentVolumeClaim: {claimName: data}
      """;

  @Test
  void aBacklogIsLagAndStaleUntilReadThenTheQueryIsCaughtUpAndFresh() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("freshness");
    Path data = e2e.data(ns);
    AvailableNowTest.writeInput(data, 0, 8);
    FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    try (var files = Files.list(data.resolve("in"))) {
      for (Path file : files.toList()) {
        Files.setLastModifiedTime(file, twoHoursAgo);
      }
    }

    e2e.apply(ns, BACKLOG);

    StreamingQuery behind =
        await()
            .atMost(MINUTE)
            .until(
                () -> e2e.query(ns, "backlog").get(),
                q ->
                    q.getStatus() != null
                        && q.getStatus().lag() != null
                        && q.getStatus().lag().filesBehind() != null
                        && q.getStatus().lag().filesBehind() > 0
                        && condition(q, "Fresh") != null);
    QueryLag lag = behind.getStatus().lag();
    assertThat(lag.basis()).isEqualTo(QueryLag.Basis.OldestUnprocessedInput);
    assertThat(lag.seconds()).isBetween(7_000L, 7_600L);
    assertThat(lag.bytesBehind()).isPositive();
    assertThat(lag.sources())
        .singleElement()
        .satisfies(s -> assertThat(s.description()).contains("/data/in"));
    assertThat(condition(behind, "Fresh").reason()).isEqualTo("LagAboveMaxLag");
    assertThat(condition(behind, "Fresh").message()).contains("above maxLag 30m");
    assertThat(condition(behind, "CaughtUp").status()).isEqualTo(Condition.Status.False);
    await()
        .atMost(MINUTE)
        .until(() -> events(e2e, ns), e -> e.contains("Warning") && e.contains("LagAboveMaxLag"));

    // as a pipeline step waits for a query to catch up
    Kubectl.Result wait =
        e2e.kubectl("wait", "-n", ns, "sq/backlog", "--for=condition=CaughtUp", "--timeout=120s");
    assertThat(wait.exitCode()).as(wait.output()).isZero();

    StreamingQuery caughtUp = e2e.query(ns, "backlog").get();
    assertThat(caughtUp.getStatus().lag().filesBehind()).isZero();
    assertThat(caughtUp.getStatus().lag().seconds()).isZero();
    assertThat(condition(caughtUp, "Fresh").status()).isEqualTo(Condition.Status.True);
    assertThat(condition(caughtUp, "CaughtUp").reason()).isEqualTo("BacklogRead");
    await().atMost(MINUTE).until(() -> events(e2e, ns), e -> e.contains("WithinMaxLag"));
    Kubectl.Result table = e2e.kubectl("get", "sq", "-n", ns);
    assertThat(table.output()).contains("LAG").contains("FRESH");
    assertThat(
            table.output().lines().filter(l -> l.startsWith("backlog")).findFirst().orElseThrow())
        .contains("True");
  }

  private static Condition condition(StreamingQuery query, String type) {
    return query.getStatus().conditions() == null
        ? null
        : query.getStatus().conditions().stream()
            .filter(c -> c.type().equals(type))
            .findFirst()
            .orElse(null);
  }

  private static String events(E2eCluster e2e, String ns) {
    return e2e.kubectl("get", "events", "-n", ns, "--field-selector", "involvedObject.name=backlog")
        .output();
  }
}
