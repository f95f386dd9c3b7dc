package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.engine.StatusMessages;
import dev.streamloop.engine.StreamingQueryProgress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's progress in its query's status, against the API (mock server, CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class StatusReporterTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private static StreamingQueryProgress batch(long id) {
    return StreamingQueryProgress.of(
        "q",
        "r",
        "clicks",
        "2026-11-24T00:00:00.000Z",
        id,
        12,
        100,
        50.0,
        8_000.0,
        Map.of("addBatch", 9L, "triggerExecution", 12L),
        Map.of(),
        List.of(),
        List.of(),
        List.of(new StreamingQueryProgress.SinkProgress("FileSink[/out]", 100)),
        StatusMessages.WAITING_FOR_TRIGGER);
  }

  private static StreamingQueryProgress idle(String message) {
    return StreamingQueryProgress.of(
        "q",
        "r",
        "clicks",
        "2026-11-24T00:00:01.000Z",
        3,
        0,
        0,
        0.0,
        0.0,
        Map.of("triggerExecution", 0L),
        Map.of(),
        List.of(),
        List.of(),
        List.of(),
        message);
  }

  private static void create(String name) {
    String yaml =
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: NAME, namespace: team-a}
        spec: {query: SELECT 1, sources: [], sinks: []}
        """;
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(yaml.replace("NAME", name), StreamingQuery.class))
        .create();
  }

  private static StreamingQueryStatus status(String name) {
    return client
        .resources(StreamingQuery.class)
        .inNamespace("team-a")
        .withName(name)
        .get()
        .getStatus();
  }

  private static QueryProgress progressOfReplica(String replica) {
    StreamingQueryStatus status = status("clicks");
    return status.progress() == null ? null : status.progress().get(replica);
  }

  @Test
  void writesItsOwnEntryAtOnceThenAtMostPerIntervalAndTheNewestWhenTheLoopEnds() {
    create("clicks");
    client
        .resources(StreamingQuery.class)
        .inNamespace("team-a")
        .withName("clicks")
        .subresource("status")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"status\":{\"observedGeneration\":1,\"phase\":\"Running\","
                + "\"progress\":{\"1\":{\"batchId\":40}}}}");

    StatusReporter reporter =
        new StatusReporter(server::createClient, "team-a", "clicks", 0, 60_000);
    reporter.onProgress(batch(0));
    await().atMost(Duration.ofSeconds(10)).until(() -> progressOfReplica("0") != null);
    reporter.onProgress(batch(1));
    reporter.onProgress(batch(2));
    reporter.onProgress(idle(StatusMessages.WAITING_FOR_DATA));
    // within the interval: nothing more is written until the loop ends
    assertThat(progressOfReplica("0").batchId()).isZero();

    int requests = server.getRequestCount();
    reporter.onTerminated(null);
    int writes = server.getRequestCount() - requests;

    QueryProgress written = progressOfReplica("0");
    assertThat(written.batchId()).isEqualTo(2);
    assertThat(written.message()).isEqualTo(StatusMessages.WAITING_FOR_DATA);
    assertThat(written.sink().numOutputRows()).isEqualTo(100L);
    assertThat(writes).as("one write for the three progress events since the first").isEqualTo(1);
    StreamingQueryStatus status = status("clicks");
    assertThat(status.observedGeneration()).isEqualTo(1);
    assertThat(status.progress().get("1").batchId()).as("another runner's entry").isEqualTo(40);
  }

  @Test
  void theFirstWriteCreatesTheProgressMapWhenTheStatusHasNone() {
    create("fresh");
    StatusReporter reporter =
        new StatusReporter(server::createClient, "team-a", "fresh", 2, 60_000);
    reporter.onProgress(batch(7));
    reporter.close();

    assertThat(status("fresh").progress().get("2").batchId()).isEqualTo(7);
  }
}
