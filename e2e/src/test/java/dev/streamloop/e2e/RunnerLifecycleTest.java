package dev.streamloop.e2e;

import static dev.streamloop.e2e.E2eCluster.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A continuous query's runner through failures and a user's changes, asserted through the API as
 * with kubectl; its file sink's committed output must stay exactly 0, 1, 2, … once each.
 */
class RunnerLifecycleTest {
  private static final String RUNNER = "ticks-runner-0";

  @Test
  void aKilledRunnerIsRestartedAndResumesFromItsCheckpoint() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("sigkill");
    e2e.apply(ns, ContinuousQueryTest.RATE_TO_FILE);
    QueryProgress before = awaitBatch(e2e, ns, 2);

    e2e.sigkill(ns, RUNNER);

    assertThat(e2e.restarts(ns, RUNNER)).isGreaterThanOrEqualTo(1);
    var terminated =
        e2e.pod(ns, RUNNER)
            .getStatus()
            .getContainerStatuses()
            .get(0)
            .getLastState()
            .getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(137);
    QueryProgress after =
        await()
            .atMost(MINUTE)
            .until(
                () -> e2e.progress(ns, "ticks"),
                p -> !p.runId().equals(before.runId()) && p.batchId() > before.batchId());
    assertThat(after.id()).isEqualTo(before.id()); // the same query, from the same checkpoint
    e2e.waitFor(ns, "ticks", "Ready", "True", MINUTE);

    assertExactlyOnce(e2e, ns);
  }

  @Test
  void suspendStopsTheRunnerAndResumeContinuesFromTheCheckpoint() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("suspend");
    e2e.apply(ns, ContinuousQueryTest.RATE_TO_FILE);
    QueryProgress before = awaitBatch(e2e, ns, 1);

    e2e.apply(ns, withSuspend(true));
    await()
        .atMost(MINUTE)
        .until(() -> e2e.query(ns, "ticks").get().getStatus().phase(), Phase.Suspended::equals);
    await().atMost(MINUTE).until(() -> e2e.pod(ns, RUNNER) == null);
    long stoppedAt = e2e.progress(ns, "ticks").batchId();

    e2e.apply(ns, withSuspend(false));
    e2e.waitFor(ns, "ticks", "Ready", "True", MINUTE);
    QueryProgress resumed =
        await()
            .atMost(MINUTE)
            .until(
                () -> e2e.progress(ns, "ticks"),
                p -> !p.runId().equals(before.runId()) && p.batchId() > stoppedAt);
    assertThat(resumed.id()).isEqualTo(before.id());
    assertExactlyOnce(e2e, ns);
  }

  @Test
  void deletingTheQueryRemovesItsRunners() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("delete");
    e2e.apply(ns, ContinuousQueryTest.RATE_TO_FILE);
    awaitBatch(e2e, ns, 1);
    long pid = e2e.cluster.pid(ns, RUNNER).orElseThrow();

    e2e.query(ns, "ticks").delete();

    await()
        .atMost(MINUTE)
        .until(
            () -> e2e.client().apps().statefulSets().inNamespace(ns).list().getItems().isEmpty());
    await()
        .atMost(MINUTE)
        .until(() -> e2e.client().pods().inNamespace(ns).list().getItems().isEmpty());
    await().atMost(MINUTE).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    // the garbage collector removes what the query owned: its StatefulSet and, through it, its
    // pods; its spec snapshots; its ServiceAccount, Role and RoleBinding
    await()
        .atMost(MINUTE)
        .until(
            () ->
                e2e.client()
                        .configMaps()
                        .inNamespace(ns)
                        .withLabel("app.kubernetes.io/instance", "ticks")
                        .list()
                        .getItems()
                        .isEmpty()
                    && e2e.client().serviceAccounts().inNamespace(ns).withName("ticks-runner").get()
                        == null
                    && e2e.client().rbac().roles().inNamespace(ns).list().getItems().isEmpty());
  }

  static QueryProgress awaitBatch(E2eCluster e2e, String ns, long batchId) {
    return awaitBatch(e2e, ns, "ticks", batchId);
  }

  /** Waits until query {@code name} is Ready and its replica 0 reported batch {@code batchId}. */
  static QueryProgress awaitBatch(E2eCluster e2e, String ns, String name, long batchId) {
    e2e.waitFor(ns, name, "Ready", "True", MINUTE);
    return await()
        .atMost(MINUTE)
        .until(
            () -> e2e.progress(ns, name),
            p -> p != null && p.batchId() != null && p.batchId() >= batchId);
  }

  /** The query's YAML with spec.suspend set, as a user edits and re-applies it. */
  private static String withSuspend(boolean suspend) {
    return ContinuousQueryTest.RATE_TO_FILE.replace(
        "  trigger: {processingTime: 1s}",
        "  trigger: {processingTime: 1s}\n  suspend: " + suspend);
  }

  /** The committed output is 0..n-1, each once: nothing lost, nothing written twice. */
  static void assertExactlyOnce(E2eCluster e2e, String ns) throws Exception {
    Path out = e2e.data(ns).resolve("out");
    if (Files.isDirectory(out.resolve("replica-0"))) {
      out = out.resolve("replica-0");
    }
    List<Long> values = E2eCluster.committedValues(out);
    assertThat(values).isNotEmpty();
    assertThat(new HashSet<>(values)).hasSameSizeAs(values);
    assertThat(values)
        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, values.size()).boxed().toList());
  }
}
