package dev.streamloop.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.operator.Queries;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

/**
 * The status recorder against the fabric8 mock API server in CRUD mode, with the races a real
 * cluster has: the runner patches its progress, or another writer changes the status, between the
 * operator's read (its informer's cache) and its write.
 */
@EnableKubernetesMockClient(crud = true)
class StatusRecorderTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  private StreamingQuery created(String namespace) {
    StreamingQuery query = Queries.continuous();
    query.getMetadata().setNamespace(namespace);
    query.getMetadata().setUid(null);
    query.setStatus(null);
    return client.resource(query).create();
  }

  private StreamingQuery live(StreamingQuery query) {
    return client.resource(query).get();
  }

  private static StreamingQueryStatus status(
      StreamingQueryStatus.Phase phase, String nextScheduleTime) {
    return new StreamingQueryStatus(
        3L,
        3L,
        phase,
        "ProcessingTime(5s)",
        null,
        null,
        null,
        null,
        null,
        null,
        nextScheduleTime,
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
}
