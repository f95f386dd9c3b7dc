package dev.streamloop.e2e;

import static dev.streamloop.e2e.E2eCluster.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.PendingChange;
import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.controlplane.Kubectl;
import io.fabric8.kubernetes.api.model.EnvVar;
import org.junit.jupiter.api.Test;

/**
 * spec.evolution on the real control plane: an aggregation edit the checkpoint cannot serve waits
 * for approval with the verdict in status (the old generation keeps running), rolls out with its
 * state reset once approved, and a change of sources under ResetAll starts a fresh checkpoint.
 */
class QueryEvolutionTest {
  static final String AGGREGATE =
      """
      apiVersion: streamloop.dev/v1alpha1
      kind: StreamingQuery
      metadata:
        name: totals
      spec:
        sources:
          - name: ticks
            rate: {rowsPerBatch: 5}
        query: SELECT MOD("value", 2) AS k, COUNT(*) AS n FROM ticks GROUP BY MOD("value", 2)
        outputMode: update
        sinks:
          - name: out
            console: {}
        trigger: {processingTime: 1s}
        evolution: {onIncompatible: AwaitApproval}
        runner:
          terminationGracePeriodSeconds: 10
      """;
  static final String SUMMED = AGGREGATE.replace("COUNT(*) AS n", "SUM(\"value\") AS n");

  @Test
  void anIncompatibleEditWaitsForApprovalThenRollsOutWithItsStateReset() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("evolve");
    e2e.apply(ns, AGGREGATE);
    QueryProgress first = RunnerLifecycleTest.awaitBatch(e2e, ns, "totals", 1);
    assertThat(first.runner().generation()).isEqualTo(1);
    assertThat(first.runner().batchId()).isZero();
    String podUid = e2e.pod(ns, "totals-runner-0").getMetadata().getUid();

    e2e.apply(ns, SUMMED);
    Kubectl.Result waited =
        e2e.kubectl(
            "wait",
            "-n",
            ns,
            "streamingquery/totals",
            "--for=condition=ChangePending",
            "--timeout=60s");
    assertThat(waited.exitCode()).as(waited.output()).isZero();
    StreamingQuery pending = e2e.query(ns, "totals").get();
    PendingChange change = pending.getStatus().pendingChange();
    assertThat(change.generation()).isEqualTo(2);
    assertThat(change.verdict()).isEqualTo("StateIncompatible");
    assertThat(change.reasons())
        .singleElement()
        .asString()
        .startsWith("spec.query: the aggregation changed");
    assertThat(e2e.condition(ns, "totals", "Degraded")).isEqualTo("True");
    assertThat(pending.getStatus().activeGeneration()).isEqualTo(1);
    assertThat(e2e.pod(ns, "totals-runner-0").getMetadata().getUid()).isEqualTo(podUid);
    assertThat(e2e.kubectl("describe", "streamingquery", "-n", ns, "totals").output())
        .contains("AwaitingApproval");

    e2e.apply(
        ns,
        SUMMED.replace(
            "{onIncompatible: AwaitApproval}",
            "{onIncompatible: AwaitApproval, approvedGeneration: 2}"));
    await()
        .atMost(MINUTE)
        .until(() -> e2e.query(ns, "totals").get().getStatus().activeGeneration(), g -> g == 3);
    StreamingQuery rolled = e2e.query(ns, "totals").get();
    assertThat(rolled.getStatus().pendingChange()).isNull();
    assertThat(rolled.getStatus().lastReset().generation()).isEqualTo(3);
    assertThat(rolled.getStatus().lastReset().scope()).isEqualTo(CheckpointReset.Scope.State);
    e2e.waitFor(ns, "totals", "ChangePending", "False", MINUTE);
    QueryProgress after =
        await()
            .atMost(MINUTE)
            .until(
                () -> e2e.progress(ns, "totals"),
                p ->
                    p != null && !p.runId().equals(first.runId()) && p.batchId() > first.batchId());
    // the offsets were kept: the same query id (checkpoint), later batches
    assertThat(after.id()).isEqualTo(first.id());
    // where generation 3 took over: the batch after generation 1's last commit, at its offsets
    assertThat(after.runner().generation()).isEqualTo(3);
    assertThat(after.runner().batchId()).isGreaterThan(first.batchId());
    assertThat(after.runner().offsets()).containsKey("ticks");
    assertThat(after.runner().sqlHash()).isNotEqualTo(first.runner().sqlHash());
    assertThat(after.runner().stateHash()).isNotNull().isNotEqualTo(first.runner().stateHash());
    assertThat(after.runner().image()).isNotBlank();
    assertThat(
            e2e.pod(ns, "totals-runner-0").getSpec().getContainers().get(0).getEnv().stream()
                .filter(v -> v.getName().equals("STREAMLOOP_CHECKPOINT_RESET"))
                .map(EnvVar::getValue))
        .containsExactly("state@3");
    assertThat(e2e.kubectl("get", "events", "-n", ns).output()).contains("CheckpointReset");
  }

  @Test
  void underResetAllOtherSourcesStartAFreshCheckpoint() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("evolve-all");
    String resetAll = AGGREGATE.replace("AwaitApproval", "ResetAll");
    e2e.apply(ns, resetAll);
    QueryProgress first = RunnerLifecycleTest.awaitBatch(e2e, ns, "totals", 1);

    e2e.apply(
        ns,
        resetAll.replace("- name: ticks\n", "- name: clock\n").replace("FROM ticks", "FROM clock"));

    await()
        .atMost(MINUTE)
        .until(() -> e2e.query(ns, "totals").get().getStatus().activeGeneration(), g -> g == 2);
    assertThat(e2e.query(ns, "totals").get().getStatus().lastReset().scope())
        .isEqualTo(CheckpointReset.Scope.All);
    // a fresh checkpoint has a new query id
    QueryProgress fresh =
        await()
            .atMost(MINUTE)
            .until(() -> e2e.progress(ns, "totals"), p -> p != null && !p.id().equals(first.id()));
    assertThat(fresh.batchId()).isNotNull();
  }

  @Test
  void aRewindReplaysFromARecordedBatchAndStatusSaysSo() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("rewind");
    String counted = AGGREGATE.replace("  evolution: {onIncompatible: AwaitApproval}\n", "");
    e2e.apply(ns, counted);
    QueryProgress before = RunnerLifecycleTest.awaitBatch(e2e, ns, "totals", 3);

    e2e.apply(
        ns,
        counted.replace(
            "  runner:\n", "  rewind: {nonce: 1, from: Batch, batchId: 1}\n  runner:\n"));

    QueryProgress replaying =
        await()
            .atMost(MINUTE)
            .until(
                () -> e2e.progress(ns, "totals"),
                p -> p != null && p.runner() != null && "1:batch:1".equals(p.runner().rewind()));
    // recorded as a batch of its own after the last one; the replay starts at batch 1's start
    assertThat(replaying.runner().generation()).isEqualTo(2);
    assertThat(replaying.runner().batchId()).isGreaterThan(before.batchId());
    assertThat(replaying.runner().offsets()).containsKey("ticks");
    assertThat(replaying.id()).isEqualTo(before.id());
  }

  @Test
  void underResetStateAnAggregationEditRollsOutAtOnceKeepingTheOffsets() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("evolve-state");
    String resetState = AGGREGATE.replace("AwaitApproval", "ResetState");
    e2e.apply(ns, resetState);
    QueryProgress first = RunnerLifecycleTest.awaitBatch(e2e, ns, "totals", 1);

    e2e.apply(ns, resetState.replace("COUNT(*) AS n", "SUM(\"value\") AS n"));

    await()
        .atMost(MINUTE)
        .until(() -> e2e.query(ns, "totals").get().getStatus().activeGeneration(), g -> g == 2);
    StreamingQuery rolled = e2e.query(ns, "totals").get();
    assertThat(rolled.getStatus().lastReset().scope()).isEqualTo(CheckpointReset.Scope.State);
    assertThat(rolled.getStatus().pendingChange()).isNull();
    QueryProgress after =
        await()
            .atMost(MINUTE)
            .until(
                () -> e2e.progress(ns, "totals"),
                p -> p != null && p.runner() != null && p.runner().generation() == 2);
    assertThat(after.id()).isEqualTo(first.id());
    assertThat(after.runner().batchId()).isGreaterThan(first.batchId());
  }

  @Test
  void anAvailableNowAggregationEditIsCheckedBeforeItsRunAndRunsWithItsStateReset()
      throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("evolve-once");
    String once =
        AGGREGATE
            .replace("trigger: {processingTime: 1s}", "trigger: {availableNow: {}}")
            .replace("AwaitApproval", "ResetState");
    e2e.apply(ns, once);
    e2e.waitFor(ns, "totals", "Complete", "True", MINUTE);

    e2e.apply(ns, once.replace("COUNT(*) AS n", "SUM(\"value\") AS n"));

    await()
        .atMost(MINUTE)
        .until(
            () -> e2e.query(ns, "totals").get().getStatus(),
            s ->
                s.lastReset() != null
                    && s.lastReset().generation() == 2
                    && s.conditions().stream()
                        .anyMatch(
                            c ->
                                c.type().equals("Complete")
                                    && c.status()
                                        == dev.streamloop.api.v1alpha1.Condition.Status.True
                                    && c.observedGeneration() == 2));
    assertThat(e2e.query(ns, "totals").get().getStatus().lastReset().scope())
        .isEqualTo(CheckpointReset.Scope.State);
    assertThat(e2e.progress(ns, "totals").runner().generation()).isEqualTo(2);
  }
}
