package dev.streamloop.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus.Phase;
import dev.streamloop.operator.Observed;
import dev.streamloop.operator.Queries;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCalculatorTest {
  private static final String T0 = "2026-11-23T10:00:00Z";
  private static final String T1 = "2026-11-23T10:05:00Z";

  @Test
  void aContinuousQueryIsReadyWhenAllRunnersOfItsGenerationAreReady() {
    StreamingQuery query = Queries.continuous();
    StreamingQueryStatus rolling =
        StatusCalculator.compute(
            query, new Observed(sts(2, 1, 1), List.of(), List.of()), List.of(), T0);
    assertThat(rolling.phase()).isEqualTo(Phase.Running);
    assertThat(condition(rolling, "Ready").status()).isEqualTo(Condition.Status.False);
    assertThat(condition(rolling, "Ready").message()).isEqualTo("1 of 2 runners ready");
    assertThat(condition(rolling, "Progressing").reason()).isEqualTo("RollingOut");
    assertThat(rolling.observedGeneration()).isEqualTo(3);
    assertThat(rolling.trigger()).isEqualTo("ProcessingTime(5s)");

    query.setStatus(rolling);
    StreamingQueryStatus ready =
        StatusCalculator.compute(
            query, new Observed(sts(2, 2, 2), List.of(), List.of()), List.of(), T1);
    assertThat(condition(ready, "Ready").status()).isEqualTo(Condition.Status.True);
    assertThat(condition(ready, "Ready").lastTransitionTime()).isEqualTo(T1);
    assertThat(condition(ready, "Progressing").reason()).isEqualTo("RolledOut");
    assertThat(ready.conditions()).allMatch(c -> c.observedGeneration() == 3);
    // Degraded did not change: it keeps its first transition time, so nothing needs writing.
    assertThat(condition(ready, "Degraded").lastTransitionTime()).isEqualTo(T0);

    query.setStatus(ready);
    assertThat(
            StatusCalculator.compute(
                query, new Observed(sts(2, 2, 2), List.of(), List.of()), List.of(), "later"))
        .isEqualTo(ready);
  }

  @Test
  void theQueryAndRunIdsAreTheOnesReplicaZeroLastReported() {
    StreamingQuery query = Queries.continuous();
    StreamingQueryStatus first =
        StatusCalculator.compute(
            query, new Observed(sts(1, 1, 1), List.of(), List.of()), List.of(), T0);
    assertThat(first.queryId()).isNull();
    query.setStatus(withProgress(first, "q-1", "run-2"));
    StreamingQueryStatus next =
        StatusCalculator.compute(
            query, new Observed(sts(1, 1, 1), List.of(), List.of()), List.of(), T1);
    assertThat(next.queryId()).isEqualTo("q-1");
    assertThat(next.runId()).isEqualTo("run-2");
  }

  private static StreamingQueryStatus withProgress(
      StreamingQueryStatus status, String queryId, String runId) {
    return withProgress(
        status,
        new dev.streamloop.api.v1alpha1.QueryProgress(
            queryId, runId, null, T0, 3L, null, 5L, null, null, null, null, null, null, null, null,
            null, null));
  }

  private static StreamingQueryStatus withProgress(
      StreamingQueryStatus status, dev.streamloop.api.v1alpha1.QueryProgress progress) {
    return TestStatuses.withProgress(status, java.util.Map.of("0", progress));
  }

  @Test
  void aRunnerWaitingForAnUnavailableServiceNamesItInReadyAndDegraded() {
    StreamingQuery query = Queries.continuous();
    StreamingQueryStatus first =
        StatusCalculator.compute(
            query, new Observed(sts(2, 2, 2), List.of(), List.of()), List.of(), T0);
    var retrying =
        new dev.streamloop.api.v1alpha1.QueryProgress(
            "q",
            "r",
            null,
            T0,
            3L,
            null,
            0L,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "Retrying batch 3 in 8000 ms: Kafka sink out (bootstrap servers kafka:9092): no"
                + " bootstrap server resolves",
            null);
    query.setStatus(withProgress(first, retrying));

    StreamingQueryStatus status =
        StatusCalculator.compute(
            query, new Observed(sts(2, 2, 1), List.of(), List.of()), List.of(), T1);

    Condition ready = condition(status, "Ready");
    assertThat(ready.reason()).isEqualTo("SourceOrSinkUnavailable");
    // the delay changes with every attempt: left out, so that retries cause no status writes
    assertThat(ready.message())
        .isEqualTo(
            "1 of 2 runners ready; runner 0: Retrying batch 3: Kafka sink out (bootstrap servers"
                + " kafka:9092): no bootstrap server resolves");
    assertThat(condition(status, "Degraded").reason()).isEqualTo("SourceOrSinkUnavailable");
  }

  @Test
  void anInvalidEditIsReportedWhileTheLastValidGenerationKeepsItsReadiness() {
    StreamingQuery query = Queries.continuous();
    query.setStatus(
        StatusCalculator.compute(
            query, new Observed(sts(2, 2, 2), List.of(), List.of()), List.of(), T0));
    query.getMetadata().setGeneration(4L);

    StreamingQueryStatus status =
        StatusCalculator.compute(
            query,
            new Observed(sts(2, 2, 2), List.of(), List.of()),
            List.of("spec.query: Required value"),
            T1);

    assertThat(status.observedGeneration()).isEqualTo(4);
    assertThat(status.activeGeneration()).isEqualTo(3);
    assertThat(status.phase()).isEqualTo(Phase.Running);
    Condition degraded = condition(status, "Degraded");
    assertThat(degraded.status()).isEqualTo(Condition.Status.True);
    assertThat(degraded.reason()).isEqualTo("InvalidSpec");
    assertThat(degraded.message())
        .contains("spec.query: Required value", "generation 3 keeps running");
    assertThat(condition(status, "Ready").status()).isEqualTo(Condition.Status.True);
  }

  @Test
  void anAvailableNowRunCompletesOrFailsWithConditionsKubectlWaitCanUse() {
    StreamingQuery query = Queries.availableNow();
    StreamingQueryStatus running =
        StatusCalculator.compute(
            query, new Observed(null, List.of(job(null), job(null)), List.of()), List.of(), T0);
    assertThat(running.phase()).isEqualTo(Phase.Running);
    assertThat(condition(running, "Complete").status()).isEqualTo(Condition.Status.False);

    StreamingQueryStatus done =
        StatusCalculator.compute(
            query,
            new Observed(null, List.of(job("Complete"), job("Complete")), List.of()),
            List.of(),
            T1);
    assertThat(done.phase()).isEqualTo(Phase.Succeeded);
    assertThat(condition(done, "Complete").status()).isEqualTo(Condition.Status.True);
    assertThat(condition(done, "Failed").status()).isEqualTo(Condition.Status.False);

    StreamingQueryStatus failed =
        StatusCalculator.compute(
            query,
            new Observed(null, List.of(job("Complete"), job("Failed")), List.of()),
            List.of(),
            T1);
    assertThat(failed.phase()).isEqualTo(Phase.Failed);
    assertThat(condition(failed, "Failed").status()).isEqualTo(Condition.Status.True);
    assertThat(condition(failed, "Failed").message())
        .isEqualTo("run 1: 1 of 2 runner Job(s) failed");
  }

  @Test
  void aSuspendedQueryReportsItsRunnersStopping() {
    StreamingQuery query =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
            .unmarshal(
                Queries.CONTINUOUS.replace("suspend: false", "suspend: true"),
                StreamingQuery.class);
    StreamingQueryStatus stopping =
        StatusCalculator.compute(
            query, new Observed(sts(0, 1, 1), List.of(), List.of()), List.of(), T0);
    assertThat(stopping.phase()).isEqualTo(Phase.Suspended);
    assertThat(condition(stopping, "Progressing").reason()).isEqualTo("StoppingRunners");
    StreamingQueryStatus stopped =
        StatusCalculator.compute(
            query, new Observed(sts(0, 0, 0), List.of(), List.of()), List.of(), T0);
    assertThat(condition(stopped, "Progressing").status()).isEqualTo(Condition.Status.False);
  }

  private static StatefulSet sts(int replicas, int current, int ready) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName("clicks-runner")
        .withGeneration(1L)
        .endMetadata()
        .withNewStatus()
        .withObservedGeneration(1L)
        .withReplicas(current)
        .withUpdatedReplicas(current)
        .withReadyReplicas(ready)
        .endStatus()
        .build();
  }

  private static Job job(String condition) {
    return dev.streamloop.operator.TestJobs.job(1, "k", condition);
  }

  private static Condition condition(StreamingQueryStatus status, String type) {
    return status.conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
