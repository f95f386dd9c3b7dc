package dev.streamloop.operator.bench;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.controlplane.ControlPlane;
import dev.streamloop.operator.Queries;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The operator at scale (bench/run-operator-scale.sh): the packaged Quarkus operator, in its own
 * process, against a real kube-apiserver (etcd and the API server from e2e/controlplane, no
 * controllers: StatefulSets stay as the operator writes them). The operator runs as its
 * ServiceAccount under the install manifests' ClusterRole, with leader election on, as deployed.
 * Creates N StreamingQueries, measures the time until each has its StatefulSet and a status, the
 * operator's memory, and its API requests per query per minute at steady state (counted in the API
 * server's audit log, by the operator's user). Prints figures; asserts nothing.
 *
 * <p>Arguments: the repository root, the operator's quarkus-run.jar, N, steady-state window in
 * seconds.
 */
public final class ScaleBench {
  private static final String OPERATOR =
      "system:serviceaccount:streamloop-system:streamloop-operator";

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath();
    Path jar = Path.of(args[1]);
    int queries = Integer.parseInt(args[2]);
    int window = Integer.parseInt(args[3]);
    int namespaces = Math.max(1, queries / 100);

    ControlPlane plane =
        ControlPlane.start(root, Files.createTempDirectory("streamloop-scale-"), false);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(plane.adminConfig()).build();
    // the CRD, the namespace, the operator's ServiceAccount and RBAC, as kubectl apply -k installs
    // them (the Deployment too, which nothing runs here: there is no controller manager)
    var install = plane.kubectl("apply", "-k", root.resolve("manifests").toString());
    if (install.exitCode() != 0) {
      throw new IllegalStateException(install.output());
    }
    long t0 = System.nanoTime();
    for (int n = 0; n < namespaces; n++) {
      client
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName("bench-" + n)
                  .endMetadata()
                  .build())
          .create();
    }
    // All queries exist before the operator starts: the time measured is the operator's.
    for (int i = 0; i < queries; i++) {
      StreamingQuery query = Queries.continuous();
      query.getMetadata().setName("q" + i);
      query.getMetadata().setNamespace("bench-" + (i % namespaces));
      query.getMetadata().setUid(null);
      query.getMetadata().setGeneration(null);
      client.resource(query).create();
    }
    System.out.printf("created %d queries in %d ms%n", queries, ms(t0));
    Path token = Files.createTempFile("streamloop-operator-", ".token");
    Files.writeString(
        token,
        client
            .serviceAccounts()
            .inNamespace("streamloop-system")
            .withName("streamloop-operator")
            .tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(24 * 3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken());
    Path log = Files.createTempFile("streamloop-operator-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command(jar)).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    // what a pod gets: the API server's address, its ServiceAccount's token and the CA
    env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    env.put("KUBERNETES_SERVICE_PORT", String.valueOf(plane.port()));
    env.put("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", token.toString());
    env.put("KUBERNETES_CERTS_CA_FILE", plane.caFile().toString());
    env.put("QUARKUS_HTTP_PORT", "18080");
    env.put("STREAMLOOP_OPERATOR_NAMESPACE", "streamloop-system");
    env.put("QUARKUS_LOG_LEVEL", "WARN");
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
      System.out.printf(
          "requests the API server refused the operator: %s%n",
          plane.auditLog().forbidden(OPERATOR::equals));

      // Steady state: nothing changes; count what the operator asks of the API server, in
      // consecutive windows (the first one still sees the tail of the initial burst).
      for (int w = 1; w <= 3; w++) {
        Instant from = Instant.now();
        Thread.sleep(Duration.ofSeconds(window).toMillis()); // a measurement window, not a sync
        Map<String, Integer> byVerb = requests(plane.auditLog().file(), from, Instant.now());
        int writes =
            byVerb.entrySet().stream()
                .filter(e -> !List.of("get", "list", "watch").contains(e.getKey()))
                .mapToInt(Map.Entry::getValue)
                .sum();
        int all = byVerb.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(
            "window %d (%d s): %d requests %s = %.3f per query per minute, writes %.3f per query"
                + " per minute%n",
            w,
            window,
            all,
            byVerb,
            all * 60.0 / window / queries,
            writes * 60.0 / window / queries);
      }
      System.out.printf("operator memory at steady state: %s%n", memory(operator.pid()));
    } finally {
      operator.destroy();
      operator.waitFor(30, TimeUnit.SECONDS);
      client.close();
      plane.close();
    }
  }

  /** The operator's requests between {@code from} and {@code to}, by verb (from the audit log). */
  private static Map<String, Integer> requests(Path audit, Instant from, Instant to)
      throws java.io.IOException {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    Map<String, Integer> byVerb = new TreeMap<>();
    for (String line : Files.readAllLines(audit)) {
      var event = json.readTree(line);
      Instant at = Instant.parse(event.path("requestReceivedTimestamp").asText());
      if (OPERATOR.equals(event.path("user").path("username").asText())
          && !at.isBefore(from)
          && at.isBefore(to)) {
        byVerb.merge(event.path("verb").asText(), 1, Integer::sum);
      }
    }
    return byVerb;
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
