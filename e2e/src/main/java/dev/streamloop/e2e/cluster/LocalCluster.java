package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local cluster (docs/local-cluster.md): an {@link ApiServer} with the Streamloop CRD applied,
 * and the StatefulSet controller, Job controller, garbage collector and kubelet, run one after
 * another every {@code tick} on one thread. A test harness: never shipped in the operator or
 * runner.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalCluster.class.getName());

  /**
   * @param dir Where pods, claims and logs live.
   * @param runnerLib The runner's jars (runtime/target/runner/lib), which "the runner image" runs.
   * @param crd The CRD file to apply.
   * @param port The API server's port (0: any).
   * @param backoff The kubelet's first restart back-off (a real kubelet's is 10 s), doubling to
   *     eight times it.
   */
  public record Options(Path dir, Path runnerLib, Path crd, int port, Duration backoff) {
    public Options {
      dir = dir.toAbsolutePath(); // the runners run elsewhere: relative paths would break
      runnerLib = runnerLib.toAbsolutePath();
    }

    /** The repository's layout, from its root. */
    public static Options of(Path root, Path dir) {
      return new Options(
          dir,
          root.resolve("runtime/target/runner/lib"),
          root.resolve("crds/streamingqueries.streamloop.dev.yaml"),
          0,
          Duration.ofSeconds(1));
    }

    public Options withPort(int port) {
      return new Options(dir, runnerLib, crd, port, backoff);
    }
  }

  private static final Duration TICK = Duration.ofMillis(200);

  private final ApiServer api;
  private final Kubelet kubelet;
  private final StatefulSetController statefulSets;
  private final JobController jobs;
  private final GarbageCollector gc;
  private final ScheduledExecutorService loop;

  private LocalCluster(Options options, ApiServer api) {
    this.api = api;
    this.kubelet =
        new Kubelet(
            new Kubelet.Settings(
                options.dir(),
                api.client(),
                options.runnerLib(),
                api.url(),
                options.backoff(),
                options.backoff().multipliedBy(8)));
    this.statefulSets = new StatefulSetController(api.client(), kubelet);
    this.jobs = new JobController(api.client());
    this.gc = new GarbageCollector(api.client(), options.dir());
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "local-cluster");
              thread.setDaemon(true);
              return thread;
            });
  }

  public static LocalCluster start(Options options) {
    if (!Files.isDirectory(options.runnerLib())) {
      throw new IllegalStateException(
          "the runner's jars are missing at "
              + options.runnerLib()
              + ": build them with ./mvnw -pl runtime -am package -DskipTests");
    }
    try {
      // pods of an earlier run that ended without cleaning up (claims' directories stay)
      if (Files.isDirectory(options.dir().resolve("pods"))) {
        GarbageCollector.delete(options.dir().resolve("pods"));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ApiServer api = ApiServer.start(options.port());
    api.apply(options.crd());
    LocalCluster cluster = new LocalCluster(options, api);
    cluster.loop.scheduleWithFixedDelay(cluster::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return cluster;
  }

  private void tick() {
    try {
      statefulSets.reconcile();
      jobs.reconcile();
      gc.reconcile();
      kubelet.reconcile();
    } catch (RuntimeException e) {
      // a conflict or a vanished object: the next pass starts from what the server holds
      LOG.log(Level.FINE, "local cluster pass failed; retrying", e);
    }
  }

  public KubernetesClient client() {
    return api.client();
  }

  public String url() {
    return api.url();
  }

  /** The process id of a pod's running container, as a node's operator could find it. */
  public Optional<Long> pid(String namespace, String pod) {
    return kubelet.pid(namespace, pod);
  }

  /** Stops the controllers, then every pod's process (within their grace, at most 30 s). */
  @Override
  public void close() {
    loop.shutdown();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kubelet.shutdown(Duration.ofSeconds(30));
    api.close();
  }
}
