package dev.streamloop.e2e.local;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.controlplane.ControlPlane;
import dev.streamloop.e2e.cluster.Claims;
import dev.streamloop.e2e.cluster.LocalCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The README's main job: starts the local cluster (a real control plane with an emulated kubelet),
 * installs Streamloop with {@code kubectl apply -k manifests/}, applies an example StreamingQuery,
 * and prints the query's status as it changes (like {@code kubectl get sq -w}) until Ctrl-C, which
 * stops the operator, every runner and the control plane.
 */
@Command(
    name = "streamloop local",
    mixinStandardHelpOptions = true,
    description = "Runs a StreamingQuery end to end on the local cluster, with the real operator.")
public final class LocalClusterMain implements Callable<Integer> {
  @Option(
      names = "--example",
      description = "The StreamingQuery file to apply (default: ${DEFAULT-VALUE}).",
      defaultValue = "manifests/examples/quickstart-rate-console.yaml")
  Path example;

  @Option(
      names = "--dir",
      description = "Where the cluster keeps pods, volumes and logs (default: ${DEFAULT-VALUE}).",
      defaultValue = "target/local-cluster")
  Path dir;

  @Option(names = "--namespace", defaultValue = "default", description = "Where to apply it.")
  String namespace;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalClusterMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    LocalCluster cluster = LocalCluster.start(LocalCluster.Options.of(root, dir));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("\nstopping: the runners, the operator, the control plane ...");
                  cluster.close();
                  out.println("stopped; nothing left running. Files are in " + dir);
                  stopped.countDown();
                }));
    ControlPlane plane = cluster.controlPlane();
    out.printf(
        "local cluster: kube-apiserver at %s%n  kubectl: %s --kubeconfig %s%n",
        plane.url(), plane.kubectlBinary(), plane.kubeconfig());
    cluster.install(Duration.ofMinutes(3));
    out.printf(
        "installed with kubectl apply -k manifests/; operator ready %d ms after start (log: %s)%n",
        (System.nanoTime() - t0) / 1_000_000,
        cluster.operator().log().map(Path::toString).orElse("?"));
    KubernetesClient client = cluster.client();
    StreamingQuery query = apply(client);
    out.printf(
        "applied %s to namespace %s; runner logs: %s/pods/%s_*/runner.log%n",
        example, namespace, dir, namespace);
    out.println("Ctrl-C stops everything.\n");
    out.println(StatusLine.header());
    watch(client, query.getMetadata().getName());
    stopped.await();
    return 0;
  }

  /** Creates the namespace, the claims the example mounts, and the query. */
  private StreamingQuery apply(KubernetesClient client) throws Exception {
    client
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(existing -> existing.update());
    StreamingQuery query;
    try (var in = Files.newInputStream(example)) {
      query = client.resources(StreamingQuery.class).load(in).item();
    }
    query.getMetadata().setNamespace(namespace);
    var runner = query.getSpec().runner();
    if (runner != null && runner.volumes() != null) {
      for (var volume : runner.volumes()) {
        if (volume.persistentVolumeClaim() != null) {
          claim(client, volume.persistentVolumeClaim().getClaimName());
        }
      }
    }
    return client.resource(query).createOr(existing -> existing.update());
  }

  private void claim(KubernetesClient client, String name) {
    client.resource(Claims.of(namespace, name)).createOr(existing -> existing.update());
    out.printf(
        "created claim %s (directory %s)%n",
        name, dir.resolve("volumes").resolve(namespace).resolve(name));
  }

  /** Prints a line whenever a printed column changes, as kubectl get -w does. */
  private void watch(KubernetesClient client, String name) {
    String[] last = {""};
    client
        .resources(StreamingQuery.class)
        .inNamespace(namespace)
        .withName(name)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, StreamingQuery query) {
                String columns = StatusLine.columns(query);
                if (!columns.equals(last[0])) {
                  last[0] = columns;
                  out.println(StatusLine.line(query, Instant.now()));
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }
}
