package dev.streamloop.operator.bench;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.operator.Queries;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The operator at scale (bench/run-operator-scale.sh): the packaged Quarkus operator, in its own
 * process, against the mock API server in this one. Creates N StreamingQueries, measures the time
 * until each has its StatefulSet and a status, the operator's memory, and its API requests per
 * query per minute at steady state. Prints figures; asserts nothing (targets are in the issue).
 *
 * <p>Arguments: the operator's quarkus-run.jar, N, steady-state window in seconds.
 */
public final class ScaleBench {
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int queries = Integer.parseInt(args[1]);
    int window = Integer.parseInt(args[2]);
    int namespaces = Math.max(1, queries / 100);

    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new io.fabric8.mockwebserver.Context(),
            new io.fabric8.mockwebserver.MockWebServer(),
            new java.util.HashMap<>(),
            new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(),
            true);
    server.init();
    KubernetesClient client = server.createClient();
    // All queries exist before the operator starts: the time measured is the operator's, not the
    // mock server's (which takes about 70 ms per create once it holds thousands of objects).
    long t0 = System.nanoTime();
    for (int i = 0; i < queries; i++) {
      StreamingQuery query = Queries.continuous();
      query.getMetadata().setName("q" + i);
      query.getMetadata().setNamespace("bench-" + (i % namespaces));
      query.getMetadata().setUid(null);
      query.getMetadata().setGeneration(null);
      client.resource(query).create();
    }
    System.out.printf("created %d queries in %d ms%n", queries, ms(t0));
    Path log = Files.createTempFile("streamloop-operator-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command(jar)).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", client.getConfiguration().getMasterUrl());
    env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
    env.put("QUARKUS_KUBERNETES_CLIENT_TOKEN", "bench");
    env.put("QUARKUS_HTTP_PORT", "18080");
    env.put("STREAMLOOP_OPERATOR_NAMESPACE", "streamloop-system");
    env.put("QUARKUS_LOG_LEVEL", "WARN");
    // JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which the mock server
    // cannot answer: leader election (active in the prod profile only) stays off here.
    env.put("QUARKUS_PROFILE", "bench");
    long started = System.nanoTime();
    Process operator = builder.start();
    try {
      waitFor(
          () -> health().contains("\"status\": \"UP\""), Duration.ofSeconds(60), "operator ready");
      long ready = System.nanoTime();
      System.out.printf("operator ready after %d ms (log: %s)%n", ms(started), log);

      waitFor(
          () -> reconciled(client, namespaces) >= queries,
          Duration.ofSeconds(600),
          "all reconciled");
      System.out.printf(
          "all %d queries have a StatefulSet and a status %d ms after the operator process"
              + " started (%d ms after it was ready)%n",
          queries, ms(started), ms(ready));
      System.out.printf("operator memory after reconciling: %s%n", memory(operator.pid()));

      // Steady state: nothing changes; count what the operator asks of the API server, in
      // consecutive windows (the first one still sees the tail of the initial burst).
      drain(server);
      for (int w = 1; w <= 3; w++) {
        Thread.sleep(Duration.ofSeconds(window).toMillis()); // a measurement window, not a sync
        Map<String, Integer> byMethod = drain(server);
        int writes =
            byMethod.entrySet().stream()
                .filter(e -> !e.getKey().equals("GET"))
                .mapToInt(Map.Entry::getValue)
                .sum();
        int all = byMethod.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(
            "window %d (%d s): %d requests %s = %.3f per query per minute, writes %.3f per query"
                + " per minute%n",
            w,
            window,
            all,
            byMethod,
            all * 60.0 / window / queries,
            writes * 60.0 / window / queries);
      }
      System.out.printf("operator memory at steady state: %s%n", memory(operator.pid()));
    } finally {
      operator.destroy();
      operator.waitFor(30, TimeUnit.SECONDS);
      client.close();
      server.destroy();
    }
    // the mock server leaves non-daemon threads behind: end the driver once the figures are out
    System.exit(0);
  }

  /** The operator's JVM as the install manifests run it (OPERATOR_JAVA_OPTS overrides). */
  private static java.util.List<String> command(Path jar) {
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add("java");
    String opts = System.getenv().getOrDefault("OPERATOR_JAVA_OPTS", "-Xmx160m -XX:+UseSerialGC");
    command.addAll(java.util.List.of(opts.trim().split("\\s+")));
    command.add("-jar");
    command.add(jar.toString());
    return command;
  }

  private static int reconciled(KubernetesClient client, int namespaces) {
    int count = 0;
    for (int n = 0; n < namespaces; n++) {
      var sets = client.apps().statefulSets().inNamespace("bench-" + n).list().getItems().size();
      long withStatus =
          client
              .resources(StreamingQuery.class)
              .inNamespace("bench-" + n)
              .list()
              .getItems()
              .stream()
              .filter(q -> q.getStatus() != null && q.getStatus().observedGeneration() != null)
              .count();
      count += (int) Math.min(sets, withStatus);
    }
    return count;
  }

  private static Map<String, Integer> drain(KubernetesMockServer server)
      throws InterruptedException {
    Map<String, Integer> byMethod = new TreeMap<>();
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      byMethod.merge(request.getMethod(), 1, Integer::sum);
    }
    return byMethod;
  }

  private static String memory(long pid) throws Exception {
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    String rss =
        status
            .lines()
            .filter(l -> l.startsWith("VmRSS"))
            .findFirst()
            .orElse("")
            .replaceAll("\\s+", " ");
    String peak =
        status
            .lines()
            .filter(l -> l.startsWith("VmHWM"))
            .findFirst()
            .orElse("")
            .replaceAll("\\s+", " ");
    String heap =
        metrics()
                    .lines()
                    .filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum()
                / (1024 * 1024)
            + " MB heap used";
    return rss + ", " + peak + " (peak), " + heap.replaceAll("(\\.\\d)\\d+", "$1");
  }

  private static String health() {
    return get("/q/health/ready");
  }

  private static String metrics() {
    return get("/q/metrics");
  }

  private static String get(String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://localhost:18080" + path)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      return "";
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void waitFor(Check check, Duration limit, String what) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(500); // polling interval of a benchmark driver
    }
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
