package dev.streamloop.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.operator.Queries;
import dev.streamloop.operator.testing.RealApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status recorder against a real API server, with the races a cluster has: the runner patches
 * its progress, or another writer changes the status, between the operator's read (its informer's
 * cache) and its write.
 */
class StatusRecorderTest {
  private static final KubernetesClient client = RealApiServer.client();

  private StreamingQuery created(String prefix) {
    StreamingQuery query = Queries.continuous();
    query.getMetadata().setNamespace(RealApiServer.namespace(prefix));
    query.getMetadata().setGeneration(null);
    query.getMetadata().setUid(null);
    query.setStatus(null);
    return client.resource(query).create();
  }

  private StreamingQuery live(StreamingQuery query) {
    return client.resource(query).get();
  }

  private static StreamingQueryStatus status(
      StreamingQueryStatus.Phase phase, String nextScheduleTime) {
    return status(phase, nextScheduleTime, null);
  }

  private static StreamingQueryStatus status(
      StreamingQueryStatus.Phase phase, String nextScheduleTime, List<Condition> conditions) {
    return new StreamingQueryStatus(
        1L,
        1L,
        phase,
        "ProcessingTime(5s)",
        conditions,
        null,
        null,
        null,
        null,
        null,
        nextScheduleTime,
        null,
        null,
        null,
        null);
  }

  private void runnerPatchesProgress(StreamingQuery query, long batchId) {
    client
        .resource(query)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"progress\":{\"0\":{\"batchId\":" + batchId + "}}}}");
  }

  @Test
  void aWriteFromAStaleCopyIsRecomputedOnTheLiveObjectAndKeepsTheRunnersProgress() {
    StreamingQuery stale = created("stale-copy");
    runnerPatchesProgress(stale, 7); // the status now exists; the operator's copy has none

    boolean wrote =
        new StatusRecorder(client).record(stale, status(StreamingQueryStatus.Phase.Running, null));

    StreamingQuery now = live(stale);
    assertThat(wrote).isTrue();
    assertThat(now.getStatus().phase()).isEqualTo(StreamingQueryStatus.Phase.Running);
    // an "add /status" computed from the stale copy would have replaced the progress
    assertThat(now.getStatus().progress().get("0").batchId()).isEqualTo(7L);
  }

  @Test
  void aFieldTheStaleCopyHasButTheLiveObjectLacksIsNotRemovedBlindly() {
    StreamingQuery query = created("removed-field");
    StatusRecorder recorder = new StatusRecorder(client);
    recorder.record(query, status(StreamingQueryStatus.Phase.Idle, "2026-11-24T11:00:00Z"));
    StreamingQuery stale = live(query);
    // another writer (an operator replica that just lost its lease) clears the field
    recorder.record(stale, status(StreamingQueryStatus.Phase.Idle, null));

    // the stale copy still has nextScheduleTime: a "remove" of it would now fail with a 422
    boolean wrote = recorder.record(stale, status(StreamingQueryStatus.Phase.Running, null));

    assertThat(wrote).isTrue();
    assertThat(live(query).getStatus().phase()).isEqualTo(StreamingQueryStatus.Phase.Running);
    assertThat(live(query).getStatus().nextScheduleTime()).isNull();
  }

  @Test
  void anUnchangedStatusIsNotWritten() {
    StreamingQuery query = created("unchanged");
    StatusRecorder recorder = new StatusRecorder(client);
    recorder.record(query, status(StreamingQueryStatus.Phase.Running, null));
    StreamingQuery current = live(query);

    assertThat(recorder.record(current, status(StreamingQueryStatus.Phase.Running, null)))
        .isFalse();
    assertThat(live(query).getMetadata().getResourceVersion())
        .isEqualTo(current.getMetadata().getResourceVersion());
  }

  @Test
  void aConditionThatIsGoneIsGoneFromTheStoredList() {
    StreamingQuery query = created("conditions");
    StatusRecorder recorder = new StatusRecorder(client);
    Condition ready =
        new Condition(
            "Ready", Condition.Status.True, 1L, "2026-11-24T10:00:00Z", "RunnersReady", "");
    Condition failed =
        new Condition("Failed", Condition.Status.False, 1L, "2026-11-24T10:00:00Z", "NoRunYet", "");
    recorder.record(
        query, status(StreamingQueryStatus.Phase.Running, null, List.of(ready, failed)));

    recorder.record(live(query), status(StreamingQueryStatus.Phase.Running, null, List.of(ready)));

    // a merge patch replaces a custom resource's lists: no condition piles up
    assertThat(live(query).getStatus().conditions()).containsExactly(ready);
  }

  @Test
  void aNestedFieldThatIsGoneIsRemoved() {
    StreamingQuery query = created("nested");
    StatusRecorder recorder = new StatusRecorder(client);
    var backingOff =
        new dev.streamloop.api.v1alpha1.RestartStatus(
            1, 1L, "2026-11-24T10:00:00Z", "Error", "exit code 1", "2026-11-24T10:00:10Z");
    recorder.record(query, withRestarts(backingOff));

    var restarted =
        new dev.streamloop.api.v1alpha1.RestartStatus(
            1, 1L, "2026-11-24T10:00:00Z", "Error", "exit code 1", null);
    recorder.record(live(query), withRestarts(restarted));

    // a merge patch merges objects: the cleared field must be sent as null to go
    assertThat(live(query).getStatus().restarts()).isEqualTo(restarted);
  }

  private static StreamingQueryStatus withRestarts(dev.streamloop.api.v1alpha1.RestartStatus r) {
    return new StreamingQueryStatus(
        1L,
        1L,
        StreamingQueryStatus.Phase.Pending,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        r,
        null,
        null,
        null);
  }
}
