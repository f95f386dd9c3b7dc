package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.RunnerStart;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.controlplane.ControlPlane;
import dev.streamloop.controlplane.SharedApiServer;
import dev.streamloop.engine.StatusMessages;
import dev.streamloop.engine.StreamingQueryProgress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The runner's progress in its query's status, against a real API server with the CRD (its status
 * schema, the JSON patch and merge patch semantics the reporter relies on).
 */
class StatusReporterTest {
  private static final RunnerStart START =
      new RunnerStart(
          4L,
          "streamloop/runner:test",
          "0123456789abcdef",
          null,
          7L,
          Map.of("ticks", "{\"0\":12}"),
          null);

  private static final ControlPlane PLANE =
      SharedApiServer.get(Path.of("").toAbsolutePath().getParent());
  private static final KubernetesClient client =
      new KubernetesClientBuilder().withConfig(PLANE.adminConfig()).build();
  private final String namespace = SharedApiServer.namespace(PLANE, "status-reporter");

  /** Requests that changed something (not GET), counted as they leave the reporter's client. */
  private final AtomicInteger writes = new AtomicInteger();

  /** The reporter's own client, as the runner makes it, with its writes counted. */
  private KubernetesClient reporterClient() {
    return new KubernetesClientBuilder()
        .withConfig(PLANE.adminConfig())
        .withHttpClientBuilderConsumer(
            builder ->
                builder.addOrReplaceInterceptor(
                    "count-writes",
                    new Interceptor() {
                      @Override
                      public void before(
                          BasicBuilder request, HttpRequest http, Interceptor.RequestTags tags) {
                        if (!http.method().equals("GET")) {
                          writes.incrementAndGet();
                        }
                      }
                    }))
        .build();
  }

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

  private void create(String name) {
    String yaml =
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: QUERY, namespace: NS}
        spec:
          sources: [{name: ticks, rate: {rowsPerSecond: 1}}]
          query: SELECT * FROM ticks
          sinks: [{name: out, console: {}}]
        """;
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    yaml.replace("QUERY", name).replace("NS", namespace), StreamingQuery.class))
        .create();
  }

  private StreamingQueryStatus status(String name) {
    return client
        .resources(StreamingQuery.class)
        .inNamespace(namespace)
        .withName(name)
        .get()
        .getStatus();
  }

  private QueryProgress progressOfReplica(String replica) {
    StreamingQueryStatus status = status("clicks");
    return status.progress() == null ? null : status.progress().get(replica);
  }

  @Test
  void writesItsOwnEntryAtOnceThenAtMostPerIntervalAndTheNewestWhenTheLoopEnds() {
    create("clicks");
    client
        .resources(StreamingQuery.class)
        .inNamespace(namespace)
        .withName("clicks")
        .subresource("status")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"status\":{\"observedGeneration\":1,\"phase\":\"Running\","
                + "\"progress\":{\"1\":{\"batchId\":40}}}}");

    StatusReporter reporter =
        new StatusReporter(this::reporterClient, namespace, "clicks", 0, 60_000, null);
    reporter.onProgress(batch(0));
    await().atMost(Duration.ofSeconds(10)).until(() -> progressOfReplica("0") != null);
    reporter.onProgress(batch(1));
    reporter.onProgress(batch(2));
    reporter.onProgress(idle(StatusMessages.WAITING_FOR_DATA));
    // within the interval: nothing more is written until the loop ends
    assertThat(progressOfReplica("0").batchId()).isZero();

    int before = writes.get();
    reporter.onTerminated(null);
    int written = writes.get() - before;

    QueryProgress last = progressOfReplica("0");
    assertThat(last.batchId()).isEqualTo(2);
    assertThat(last.message()).isEqualTo(StatusMessages.WAITING_FOR_DATA);
    assertThat(last.sink().numOutputRows()).isEqualTo(100L);
    assertThat(written).as("one write for the three progress events since the first").isEqualTo(1);
    StreamingQueryStatus status = status("clicks");
    assertThat(status.observedGeneration()).isEqualTo(1);
    assertThat(status.progress().get("1").batchId()).as("another runner's entry").isEqualTo(40);
  }

  @Test
  void theFirstWriteCreatesTheProgressMapWhenTheStatusHasNone() {
    create("fresh");
    StatusReporter reporter =
        new StatusReporter(this::reporterClient, namespace, "fresh", 2, 60_000, START);
    reporter.onProgress(batch(7));
    reporter.close();

    assertThat(status("fresh").progress().get("2").batchId()).isEqualTo(7);
    assertThat(status("fresh").progress().get("2").runner()).isEqualTo(START);
  }
}
