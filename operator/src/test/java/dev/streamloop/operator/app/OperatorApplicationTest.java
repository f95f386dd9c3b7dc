package dev.streamloop.operator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.operator.Queries;
import dev.streamloop.operator.testing.RealApiServerResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The Quarkus application (CDI wiring, configuration, health, metrics) against a real API server:
 * what the Deployment's probes and the metrics Service see.
 */
@QuarkusTest
@QuarkusTestResource(RealApiServerResource.class)
class OperatorApplicationTest {
  @Inject KubernetesClient client;

  @ConfigProperty(name = "quarkus.http.test-port")
  int port;

  @Test
  void theOperatorReconcilesAndServesHealthAndMetrics() throws Exception {
    StreamingQuery query = Queries.continuous();
    query.getMetadata().setUid(null);
    query.getMetadata().setGeneration(null);
    String namespace = RealApiServerResource.NAMESPACE;
    query.getMetadata().setNamespace(namespace);
    client.resource(query).create();

    StatefulSet sts =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    client
                        .apps()
                        .statefulSets()
                        .inNamespace(namespace)
                        .withName("clicks-runner")
                        .get(),
                java.util.Objects::nonNull);
    // STREAMLOOP_RUNNER_IMAGE is unset here: the default image
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("streamloop/runner:0.1.0");

    assertThat(get("/q/health/live")).contains("reconcile-progress").contains("\"status\": \"UP\"");
    assertThat(get("/q/health/ready")).contains("\"status\": \"UP\"");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> get("/q/metrics"), m -> m.contains("streamloop_queries{phase=\"Pending\"} 1.0"));
    String metrics = get("/q/metrics");
    assertThat(metrics).contains("operator_sdk_reconciliations_started_total");
    // JOSDK's meters per query would not scale to thousands of queries: only the few series of
    // each query's health, read from the cache at the scrape, name one
    assertThat(metrics.lines().filter(l -> l.contains("query=\"clicks\"")))
        .isNotEmpty()
        .allMatch(l -> l.startsWith("streamloop_query_"));
    assertThat(metrics)
        .contains(
            "streamloop_query_runner_failures_total{namespace=\""
                + namespace
                + "\",query=\"clicks\"} 0.0");
  }

  private String get(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
