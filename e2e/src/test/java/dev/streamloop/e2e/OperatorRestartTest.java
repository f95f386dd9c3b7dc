package dev.streamloop.e2e;

import static dev.streamloop.e2e.E2eCluster.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.QueryProgress;
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

    e2e.operator.kill();
    e2e.operator.start(Duration.ofSeconds(90));

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
}
