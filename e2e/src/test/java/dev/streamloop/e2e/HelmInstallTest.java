package dev.streamloop.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.controlplane.Kubectl;
import dev.streamloop.e2e.cluster.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Streamloop installed with its Helm chart on a real control plane of its own (the shared one has
 * the kustomize install, whose cluster-scoped objects Helm would not adopt), with the web view on;
 * then the web view driven in headless Chromium (Debian's): the table lists the queries, a failing
 * one with its reason, and a query's page draws its recent batches.
 */
class HelmInstallTest {
  private static final String VIEW = "http://127.0.0.1:8090/";
  private static final String TICKS =
      """
      apiVersion: streamloop.dev/v1alpha1
      kind: StreamingQuery
      metadata:
        name: ticks
      spec:
        sources:
          - name: ticks
            rate: {rowsPerSecond: 20}
        query: SELECT "value" FROM ticks
        sinks:
          - name: out
            console: {}
        trigger: {processingTime: 1s}
        freshness: {maxLag: 1m}
        runner:
          terminationGracePeriodSeconds: 10
      """;
  // the runner refuses the SQL (no such column): exit code 2, not retried
  private static final String BROKEN =
      TICKS
          .replace("name: ticks\nspec", "name: broken\nspec")
          .replace("SELECT \"value\"", "SELECT \"nope\"");

  @Test
  void installedWithHelmTheOperatorRunsQueriesAndTheWebViewShowsThem() throws Exception {
    Path dir = Files.createTempDirectory(E2eCluster.ROOT.resolve("e2e/target"), "helm-cluster-");
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.of(E2eCluster.ROOT, dir))) {
      Map<String, String> env =
          Map.of("KUBECONFIG", cluster.controlPlane().kubeconfig().toString());
      Tools.mustRun(
          E2eCluster.ROOT,
          env,
          Tools.helm(),
          "install",
          "streamloop",
          "manifests/helm/streamloop",
          "--set",
          "webView.enabled=true");
      Kubectl.Result rollout =
          cluster.kubectl(
              "-n",
              "streamloop-system",
              "rollout",
              "status",
              "deployment/streamloop-operator",
              "--timeout=180s");
      assertThat(rollout.exitCode()).as(rollout.output()).isZero();
      assertThat(
              cluster
                  .kubectl(
                      "-n",
                      "streamloop-system",
                      "get",
                      "configmap",
                      "streamloop-operator-config",
                      "-o",
                      "jsonpath={.metadata.labels}")
                  .output())
          .contains("app.kubernetes.io/managed-by")
          .contains("Helm");

      cluster.kubectl("create", "namespace", "web");
      apply(cluster, TICKS);
      apply(cluster, BROKEN);
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> condition(cluster, "broken", "Stalled"), "True"::equals);
      // the page's charts need a few batches seen by the operator since it started
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> get("api/queries/web/ticks").path("batches").size(), n -> n >= 3);

      String chromium = Tools.debian("chromium", "chromium");
      String table = dom(chromium, VIEW);
      assertThat(table).contains("data-rendered=\"true\"").contains("id=\"queries\"");
      assertThat(table).contains("data-name=\"web/ticks\"").contains("data-name=\"web/broken\"");
      assertThat(row(table, "web/broken"))
          .contains("Failed")
          .contains("RunnerRejectedSpec")
          .contains("nope");
      assertThat(row(table, "web/ticks")).contains("Running");

      String page = dom(chromium, VIEW + "#/web/ticks");
      assertThat(page).contains("id=\"query\"").contains("id=\"input-rate\"");
      assertThat(page)
          .containsPattern(
              "class=\"series\" data-series=\"input rows/s\"[^>]*points=\"[0-9.]+,[0-9.]+ [0-9.]+,[0-9.]+")
          .containsPattern("id=\"batch-duration\".*data-series=\"addBatch\"");
      assertThat(page).contains("Fresh").contains("Conditions");

      Path shot = Path.of("target", "web-view.png").toAbsolutePath();
      Tools.mustRun(
          E2eCluster.ROOT,
          Map.of(),
          chromium,
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--hide-scrollbars",
          "--virtual-time-budget=5000",
          "--window-size=1100,1000",
          "--screenshot=" + shot,
          VIEW + "#/web/ticks");
      assertThat(Files.size(shot)).isGreaterThan(10_000);
    }
  }

  private static void apply(LocalCluster cluster, String yaml) {
    Kubectl.Result applied =
        cluster.controlPlane().kubectl().runWithInput(yaml, "apply", "-n", "web", "-f", "-");
    assertThat(applied.exitCode()).as(applied.output()).isZero();
  }

  private static String condition(LocalCluster cluster, String name, String type) {
    StreamingQuery query =
        cluster.client().resources(StreamingQuery.class).inNamespace("web").withName(name).get();
    return query == null || query.getStatus() == null || query.getStatus().conditions() == null
        ? null
        : query.getStatus().conditions().stream()
            .filter(c -> c.type().equals(type))
            .map(c -> c.status().name())
            .findFirst()
            .orElse(null);
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(VIEW + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  /** The page's DOM after its scripts ran (Chromium's virtual time lets its fetches finish). */
  private static String dom(String chromium, String url) throws Exception {
    return Tools.mustRun(
        E2eCluster.ROOT,
        Map.of(),
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--virtual-time-budget=5000",
        "--dump-dom",
        url);
  }

  private static String row(String dom, String name) {
    int start = dom.indexOf("data-name=\"" + name + "\"");
    return dom.substring(start, dom.indexOf("</tr>", start));
  }
}
