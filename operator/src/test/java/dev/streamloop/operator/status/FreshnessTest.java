package dev.streamloop.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.QueryLag;
import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.QueryProgress.SourceProgress;
import dev.streamloop.api.v1alpha1.SourceLag;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.operator.Observed;
import dev.streamloop.operator.Queries;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lag summed over runners, and the CaughtUp and Fresh conditions judged from it. */
class FreshnessTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String NOW = "2026-11-23T10:00:00Z";

  private static StreamingQuery query(String maxLag) {
    String yaml = Queries.CONTINUOUS;
    if (maxLag != null) {
      yaml += "  freshness: {maxLag: " + maxLag + "}\n";
    }
    return YAML.unmarshal(yaml, StreamingQuery.class);
  }

  private static QueryProgress runner(Map<String, String> eventTime, SourceLag... lags) {
    List<SourceProgress> sources =
        java.util.Arrays.stream(lags)
            .map(
                l ->
                    new SourceProgress(
                        "KafkaV2[Subscribe[clicks]]", null, null, null, 5L, null, null, null, l))
            .toList();
    return new QueryProgress(
        "q", "r", null, NOW, 3L, null, 5L, null, null, null, eventTime, null, sources, null, null,
        null, null);
  }

  private static StreamingQueryStatus compute(
      StreamingQuery query, int ready, QueryProgress... runners) {
    Map<String, QueryProgress> progress = new java.util.LinkedHashMap<>();
    for (int i = 0; i < runners.length; i++) {
      progress.put(Integer.toString(i), runners[i]);
    }
    query.setStatus(
        new StreamingQueryStatus(
            3L, 3L, null, null, null, null, null, progress, null, null, null, null, null, null,
            null));
    return StatusCalculator.compute(
        query, new Observed(sts(ready), List.of(), List.of()), List.of(), NOW);
  }

  @Test
  void lagSumsEachSourceOverRunnersAndAgesFromTheOldestUnprocessedInput() {
    StreamingQueryStatus status =
        compute(
            query("1m"),
            2,
            runner(null, new SourceLag(100L, null, null, "2026-11-23T09:59:30Z")),
            runner(null, new SourceLag(20L, null, null, "2026-11-23T09:58:00Z")));

    assertThat(status.lag())
        .isEqualTo(
            new QueryLag(
                120L,
                QueryLag.Basis.OldestUnprocessedInput,
                120L,
                null,
                null,
                List.of(
                    new QueryLag.Source(
                        "KafkaV2[Subscribe[clicks]]", 120L, null, null, "2026-11-23T09:58:00Z"))));
    assertThat(condition(status, "Fresh"))
        .extracting(Condition::status, Condition::reason, Condition::message)
        .containsExactly(
            Condition.Status.False,
            "LagAboveMaxLag",
            "lag 120s (age of the oldest unprocessed input), above maxLag 1m");
    assertThat(condition(status, "CaughtUp"))
        .extracting(Condition::status, Condition::reason, Condition::message)
        .containsExactly(Condition.Status.False, "Backlog", "120 record(s) not read yet");
  }

  @Test
  void aQueryWithoutBacklogIsCaughtUpAndFreshAndItsStatusIsStable() {
    StreamingQuery query = query("30s");
    StreamingQueryStatus status =
        compute(query, 2, runner(null, new SourceLag(null, 0L, 0L, null)), runner(null));

    assertThat(status.lag().seconds()).isZero();
    assertThat(status.lag().filesBehind()).isZero();
    assertThat(condition(status, "Fresh").status()).isEqualTo(Condition.Status.True);
    assertThat(condition(status, "CaughtUp"))
        .extracting(Condition::status, Condition::reason)
        .containsExactly(Condition.Status.True, "BacklogRead");
    assertThat(condition(status, "Reconciling").status()).isEqualTo(Condition.Status.False);
    assertThat(condition(status, "Stalled").status()).isEqualTo(Condition.Status.False);
  }

  @Test
  void withAWatermarkTheLagIsTheTimeSinceTheLowestWatermark() {
    StreamingQueryStatus status =
        compute(
            query("5m"),
            2,
            runner(
                Map.of("watermark", "2026-11-23T09:58:00.000Z"),
                new SourceLag(0L, null, null, null)),
            runner(
                Map.of("watermark", "2026-11-23T09:59:00.000Z"),
                new SourceLag(0L, null, null, null)));

    assertThat(status.lag().basis()).isEqualTo(QueryLag.Basis.Watermark);
    assertThat(status.lag().seconds()).isEqualTo(120);
    assertThat(condition(status, "Fresh").status()).isEqualTo(Condition.Status.True);

    // before its first event a runner's watermark is the epoch: not a lag of 56 years
    StreamingQueryStatus first =
        compute(
            query("5m"),
            2,
            runner(
                Map.of("watermark", "1970-01-01T00:00:00.000Z"),
                new SourceLag(0L, null, null, null)));
    assertThat(first.lag().basis()).isEqualTo(QueryLag.Basis.OldestUnprocessedInput);
    assertThat(first.lag().seconds()).isZero();
  }

  @Test
  void runnersThatAreNotReadyAreNeitherFreshNorCaughtUpAndLagAloneNeedsNoMaxLag() {
    StreamingQueryStatus notReady =
        compute(query("1m"), 1, runner(null, new SourceLag(0L, null, null, null)));
    assertThat(condition(notReady, "Fresh"))
        .extracting(Condition::status, Condition::reason)
        .containsExactly(Condition.Status.False, "RunnersNotReady");
    assertThat(condition(notReady, "CaughtUp").reason()).isEqualTo("RunnersNotReady");

    StreamingQueryStatus noFreshness =
        compute(query(null), 2, runner(null, new SourceLag(0L, null, null, null)));
    assertThat(noFreshness.conditions()).noneMatch(c -> c.type().equals("Fresh"));
    assertThat(condition(noFreshness, "CaughtUp").status()).isEqualTo(Condition.Status.True);

    StreamingQueryStatus noProgress = compute(query("1m"), 2);
    assertThat(noProgress.lag()).isNull();
    assertThat(condition(noProgress, "CaughtUp").reason()).isEqualTo("NoProgressYet");
  }

  @Test
  void freshFlippingToFalseIsAWarningEventAndBackToTrueANormalOne() {
    StreamingQuery query = query("1m");
    StreamingQueryStatus fresh =
        compute(query, 2, runner(null, new SourceLag(0L, null, null, null)));
    StreamingQueryStatus stale =
        compute(query, 2, runner(null, new SourceLag(7L, null, null, "2026-11-23T09:50:00Z")));

    assertThat(TransitionEvents.between(fresh, stale))
        .contains(
            new TransitionEvents.Event(
                "Warning",
                "LagAboveMaxLag",
                "lag 600s (age of the oldest unprocessed input), above maxLag 1m"));
    assertThat(TransitionEvents.between(stale, fresh))
        .contains(
            new TransitionEvents.Event(
                "Normal",
                "WithinMaxLag",
                "lag 0s (age of the oldest unprocessed input), within maxLag 1m"));
  }

  private static Condition condition(StreamingQueryStatus status, String type) {
    return status.conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static StatefulSet sts(int ready) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withGeneration(1L)
        .endMetadata()
        .withNewStatus()
        .withObservedGeneration(1L)
        .withReplicas(2)
        .withReadyReplicas(ready)
        .withUpdatedReplicas(2)
        .endStatus()
        .build();
  }
}
