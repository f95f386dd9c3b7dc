package dev.streamloop.e2e;

import static dev.streamloop.e2e.E2eCluster.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.e2e.cluster.Operator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operator killed and restarted mid-run: the runner is neither duplicated nor restarted. */
class OperatorRestartTest {

  @Test
  void aRestartedOperatorAdoptsTheRunningRunner() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("operator-restart");
    e2e.apply(ns, ContinuousQueryTest.RATE_TO_FILE);
    QueryProgress before = RunnerLifecycleTest.awaitBatch(e2e, ns, 1);
    var pod = e2e.pod(ns, "ticks-runner-0");
    long observed = e2e.query(ns, "ticks").get().getStatus().observedGeneration();

    // SIGKILL, as an OOM kill or a crash ends it; its kubelet restarts the container
    int restarts = e2e.operator().restarts();
    ProcessHandle.of(e2e.operator().pid().orElseThrow()).orElseThrow().destroyForcibly();
    await().atMost(MINUTE).until(() -> e2e.operator().restarts() > restarts);
    await().atMost(Duration.ofSeconds(120)).until(() -> e2e.operator().ready());

    // status goes on: the runner's progress and the operator's conditions
    await().atMost(MINUTE).until(() -> e2e.progress(ns, "ticks").batchId() > before.batchId() + 2);
    assertThat(e2e.client().apps().statefulSets().inNamespace(ns).list().getItems()).hasSize(1);
    assertThat(e2e.client().pods().inNamespace(ns).list().getItems())
        .singleElement()
        .satisfies(p -> assertThat(p.getMetadata().getUid()).isEqualTo(pod.getMetadata().getUid()));
    assertThat(e2e.restarts(ns, "ticks-runner-0")).isZero();
    assertThat(e2e.progress(ns, "ticks").runId()).isEqualTo(before.runId());
    assertThat(e2e.query(ns, "ticks").get().getStatus().observedGeneration()).isEqualTo(observed);
    assertThat(e2e.condition(ns, "ticks", "Ready")).isEqualTo("True");
    RunnerLifecycleTest.assertExactlyOnce(e2e, ns);
  }

  @Test
  void aDeletedOperatorPodStopsWithinSecondsAndItsSuccessorLeads() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("operator-replaced");
    var old = e2e.operator().pod().orElseThrow();

    // as a rollout or a node drain does: the kubelet sends SIGTERM and waits up to the grace
    // period (30 s); with leader election on, the operator once hung until it was killed
    long start = System.nanoTime();
    e2e.client().resource(old).delete();
    await()
        .atMost(MINUTE)
        .until(
            () ->
                e2e.client()
                        .pods()
                        .inNamespace(Operator.NAMESPACE)
                        .withName(old.getMetadata().getName())
                        .get()
                    == null);
    Duration stopped = Duration.ofNanos(System.nanoTime() - start);
    assertThat(stopped)
        .as("time for the operator to stop on SIGTERM")
        .isLessThan(Duration.ofSeconds(15));

    // the ReplicaSet's new pod takes the Lease over and reconciles
    await().atMost(Duration.ofSeconds(120)).until(() -> e2e.operator().ready());
    e2e.apply(ns, ContinuousQueryTest.RATE_TO_FILE);
    RunnerLifecycleTest.awaitBatch(e2e, ns, 1);
    assertThat(
            e2e.client()
                .leases()
                .inNamespace(Operator.NAMESPACE)
                .withName("streamloop-operator-lease")
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo(e2e.operator().pod().orElseThrow().getMetadata().getName());
  }
}
