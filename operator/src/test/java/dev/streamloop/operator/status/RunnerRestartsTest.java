package dev.streamloop.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.RestartStatus;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.operator.Queries;
import dev.streamloop.operator.desired.RunnerStatefulSet;
import dev.streamloop.operator.status.RunnerFailures.Failure;
import dev.streamloop.operator.status.RunnerRestarts.Decision;
import dev.streamloop.operator.status.RunnerRestarts.Hold;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.restartPolicy's arithmetic, with fixed instants instead of a clock. */
class RunnerRestartsTest {
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private static StreamingQuery query(String policy, RestartStatus restarts, long observed) {
    StreamingQuery query =
        new KubernetesSerialization()
            .unmarshal(
                Queries.CONTINUOUS.replace(
                    "restartPolicy: {type: OnFailure, maxRetries: 10, initialBackoff: 10s, maxBackoff: 5m}",
                    "restartPolicy: " + policy),
                StreamingQuery.class);
    query.setStatus(
        new StreamingQueryStatus(
            observed, 3L, null, null, null, null, null, null, null, null, null, restarts, null,
            null, null));
    return query;
  }

  private static final String DEFAULTS = "{type: OnFailure, initialBackoff: 10s, maxBackoff: 1m}";

  private static Failure error(Instant at) {
    return new Failure(at, "Error", "runner pod clicks-runner-0: exit code 1");
  }

  @Test
  void eachFailureInARowDoublesTheBackoffUpToMaxBackoff() {
    assertThat(
            List.of(1, 2, 3, 4, 5).stream()
                .map(
                    n ->
                        RunnerRestarts.backoff(
                            query(DEFAULTS, null, 3).getSpec().restartPolicy(), n))
                .toList())
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(40),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60));
  }

  @Test
  void aNewFailureHoldsTheRunnersUntilItsBackoffHasPassed() {
    Decision first =
        RunnerRestarts.decide(query(DEFAULTS, null, 3), List.of(error(T0)), T0.plusSeconds(1));

    assertThat(first.hold()).isEqualTo(Hold.BACKING_OFF);
    assertThat(first.restarts().count()).isEqualTo(1);
    assertThat(first.restarts().nextRestartTime()).isEqualTo("2026-11-24T10:00:10Z");
    assertThat(
            RunnerStatefulSet.build(query(DEFAULTS, null, 3), "img", true).getSpec().getReplicas())
        .isZero();

    // the same failure seen again (another reconcile, a restarted operator) is not counted again
    Decision later =
        RunnerRestarts.decide(
            query(DEFAULTS, first.restarts(), 3), List.of(error(T0)), T0.plusSeconds(10));
    assertThat(later.hold()).isEqualTo(Hold.NONE);
    assertThat(later.restarts().count()).isEqualTo(1);
    assertThat(later.restarts().total()).isEqualTo(1);
    assertThat(later.restarts().nextRestartTime()).isNull();

    Decision second =
        RunnerRestarts.decide(
            query(DEFAULTS, later.restarts(), 3),
            List.of(error(T0), error(T0.plusSeconds(30))),
            T0.plusSeconds(31));
    assertThat(second.restarts().count()).isEqualTo(2);
    assertThat(second.restarts().nextRestartTime()).isEqualTo("2026-11-24T10:00:50Z");
  }

  @Test
  void neverMaxRetriesAndExitCode2HaltTheRunners() {
    assertThat(
            RunnerRestarts.decide(query("{type: Never}", null, 3), List.of(error(T0)), T0).hold())
        .isEqualTo(Hold.HALTED);
    Failure rejected = new Failure(T0, "InvalidSpec", "exit code 2: unknown column");
    assertThat(RunnerRestarts.decide(query(DEFAULTS, null, 3), List.of(rejected), T0).hold())
        .isEqualTo(Hold.HALTED);

    String twoRetries = "{type: OnFailure, maxRetries: 2, initialBackoff: 1s, maxBackoff: 1s}";
    Decision d = RunnerRestarts.decide(query(twoRetries, null, 3), List.of(error(T0)), T0);
    d =
        RunnerRestarts.decide(
            query(twoRetries, d.restarts(), 3),
            List.of(error(T0.plusSeconds(5))),
            T0.plusSeconds(5));
    assertThat(d.hold()).isEqualTo(Hold.BACKING_OFF);
    d =
        RunnerRestarts.decide(
            query(twoRetries, d.restarts(), 3),
            List.of(error(T0.plusSeconds(9))),
            T0.plusSeconds(9));
    assertThat(d.hold()).isEqualTo(Hold.HALTED);
    assertThat(d.restarts().count()).isEqualTo(3);
    assertThat(d.restarts().nextRestartTime()).isNull();

    // a later reconcile keeps it halted; a spec change (observedGeneration behind) starts afresh
    assertThat(
            RunnerRestarts.decide(query(twoRetries, d.restarts(), 3), List.of(), T0.plusSeconds(60))
                .hold())
        .isEqualTo(Hold.HALTED);
    Decision edited =
        RunnerRestarts.decide(query(twoRetries, d.restarts(), 2), List.of(), T0.plusSeconds(60));
    assertThat(edited.hold()).isEqualTo(Hold.NONE);
    assertThat(edited.restarts().count()).isZero();
    assertThat(edited.restarts().total()).isEqualTo(3);
  }

  @Test
  void failuresInARowAreForgottenAfterTenMinutesOfRunning() {
    Decision d = RunnerRestarts.decide(query(DEFAULTS, null, 3), List.of(error(T0)), T0);
    Instant reset = T0.plusSeconds(10).plus(RunnerRestarts.HEALTHY_RESET);

    assertThat(
            RunnerRestarts.decide(
                    query(DEFAULTS, d.restarts(), 3), List.of(), reset.minusSeconds(1))
                .restarts()
                .count())
        .isEqualTo(1);
    assertThat(
            RunnerRestarts.decide(query(DEFAULTS, d.restarts(), 3), List.of(), reset)
                .restarts()
                .count())
        .isZero();
  }

  @Test
  void failuresAreReadFromRunnerPodsButNotFromPodsBeingDeletedOrFromRuns() {
    Pod failing = pod("clicks-runner-0", 1, "OOMKilled", "2026-11-24T10:00:00Z");
    Pod deleting = pod("clicks-runner-1", 137, "Error", "2026-11-24T10:00:05Z");
    deleting.getMetadata().setDeletionTimestamp("2026-11-24T10:00:04Z");
    Pod run = pod("clicks-run-1-0", 1, "Error", "2026-11-24T10:00:06Z");
    run.getMetadata().getLabels().put("streamloop.dev/run", "1");
    Pod refused = pod("clicks-runner-1", 2, "Error", "2026-11-24T10:00:07Z");
    refused
        .getStatus()
        .getContainerStatuses()
        .get(0)
        .getLastState()
        .getTerminated()
        .setMessage("checkpoint offsets/3 is truncated");

    assertThat(RunnerFailures.of(List.of(refused, deleting, run, failing)))
        .extracting(Failure::reason)
        .containsExactly("OOMKilled", "CheckpointUnusable");
  }

  private static Pod pod(String name, int exitCode, String reason, String finishedAt) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app.kubernetes.io/component", "runner")
        .endMetadata()
        .withNewStatus()
        .addNewContainerStatus()
        .withName("runner")
        .withNewLastState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withFinishedAt(finishedAt)
        .endTerminated()
        .endLastState()
        .endContainerStatus()
        .endStatus()
        .build();
  }
}
