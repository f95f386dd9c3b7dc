package dev.streamloop.e2e;

import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.controlplane.Kubectl;
import dev.streamloop.e2e.cluster.Claims;
import dev.streamloop.e2e.cluster.LocalCluster;
import dev.streamloop.e2e.cluster.Operator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local cluster with Streamloop installed as users install it ({@code kubectl apply -k
 * manifests/}), started once for the whole suite and stopped when the test JVM ends. Each test
 * works in its own namespace.
 */
final class E2eCluster {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  /** How long a scenario waits for one step (a runner starting, a status change). */
  static final Duration MINUTE = Duration.ofSeconds(60);

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static E2eCluster shared;

  final Path dir;
  final LocalCluster cluster;

  private E2eCluster(Path dir, LocalCluster cluster) {
    this.dir = dir;
    this.cluster = cluster;
  }

  static synchronized E2eCluster get() throws IOException {
    if (shared == null) {
      Path dir = Files.createTempDirectory(ROOT.resolve("e2e/target"), "local-cluster-");
      LocalCluster cluster = LocalCluster.start(LocalCluster.Options.of(ROOT, dir));
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
      cluster.install(Duration.ofMinutes(3));
      shared = new E2eCluster(dir, cluster);
    }
    return shared;
  }

  Operator operator() {
    return cluster.operator();
  }

  KubernetesClient client() {
    return cluster.client();
  }

  /**
   * A new namespace with a claim {@code data} (1Gi) for the queries' files. It enforces the
   * restricted Pod Security Standard, so every runner pod the operator makes must meet it.
   */
  String namespace(String prefix) {
    String ns = prefix + "-" + NAMESPACES.incrementAndGet();
    client()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .endMetadata()
                .build())
        .create();
    client().resource(Claims.of(ns, "data")).create();
    return ns;
  }

  /** Where claim {@code data} of {@code ns} is on this machine. */
  Path data(String ns) throws IOException {
    Path dir = this.dir.resolve("volumes").resolve(ns).resolve("data");
    Files.createDirectories(dir);
    return dir;
  }

  /** {@code kubectl apply -f -} of {@code yaml}, as a user (or a GitOps tool) applies a query. */
  StreamingQuery apply(String ns, String yaml) {
    Kubectl.Result applied =
        cluster.controlPlane().kubectl().runWithInput(yaml, "apply", "-n", ns, "-f", "-");
    if (applied.exitCode() != 0) {
      throw new AssertionError("kubectl apply refused the query: " + applied.output());
    }
    StreamingQuery query =
        client()
            .resources(StreamingQuery.class)
            .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .item();
    return query(ns, query.getMetadata().getName()).get();
  }

  /** Runs kubectl as the admin (a user), its exit code and output. */
  Kubectl.Result kubectl(String... args) {
    return cluster.kubectl(args);
  }

  Resource<StreamingQuery> query(String ns, String name) {
    return client().resources(StreamingQuery.class).inNamespace(ns).withName(name);
  }

  /** The progress of replica 0, or null. */
  QueryProgress progress(String ns, String name) {
    StreamingQuery query = query(ns, name).get();
    return query == null || query.getStatus() == null || query.getStatus().progress() == null
        ? null
        : query.getStatus().progress().get("0");
  }

  /** Waits for condition {@code type} to have {@code status}, as kubectl wait does. */
  void waitFor(String ns, String name, String type, String status, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> condition(ns, name, type), c -> status.equals(c));
  }

  String condition(String ns, String name, String type) {
    StreamingQuery query = query(ns, name).get();
    if (query == null || query.getStatus() == null || query.getStatus().conditions() == null) {
      return null;
    }
    return query.getStatus().conditions().stream()
        .filter(c -> c.type().equals(type))
        .map(c -> c.status() + "")
        .findFirst()
        .orElse(null);
  }

  /** Pod {@code name} of {@code ns}, or null. */
  io.fabric8.kubernetes.api.model.Pod pod(String ns, String name) {
    return client().pods().inNamespace(ns).withName(name).get();
  }

  /**
   * Kills pod {@code name}'s runner process with SIGKILL, as a node's OOM killer or a crash would,
   * and waits until the kubelet has restarted it.
   */
  void sigkill(String ns, String name) {
    long pid = await().atMost(MINUTE).until(() -> cluster.pid(ns, name), p -> p.isPresent()).get();
    int restarts = restarts(ns, name);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().atMost(MINUTE).until(() -> restarts(ns, name) > restarts);
  }

  /** The restart count of pod {@code name}'s container, 0 without a status. */
  int restarts(String ns, String name) {
    var pod = pod(ns, name);
    return pod == null
            || pod.getStatus() == null
            || pod.getStatus().getContainerStatuses() == null
            || pod.getStatus().getContainerStatuses().isEmpty()
        ? 0
        : pod.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  /** The "value" column of every row the file sink at {@code out} committed, in file order. */
  static java.util.List<Long> committedValues(Path out) throws IOException {
    java.util.List<Long> values = new java.util.ArrayList<>();
    if (!Files.isDirectory(out)) {
      return values;
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (Path part : dev.streamloop.engine.sink.FileSink.committedFiles(out)) {
      for (String line : Files.readAllLines(part)) {
        if (!line.isBlank()) {
          values.add(json.readTree(line).get("value").asLong());
        }
      }
    }
    return values;
  }
}
