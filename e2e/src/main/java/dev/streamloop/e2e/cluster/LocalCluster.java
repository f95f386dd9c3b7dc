package dev.streamloop.e2e.cluster;

import dev.streamloop.controlplane.ChildProcesses;
import dev.streamloop.controlplane.ControlPlane;
import dev.streamloop.controlplane.Identity;
import dev.streamloop.controlplane.Kubectl;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local cluster (docs/local-cluster.md): a real control plane (etcd, kube-apiserver,
 * kube-controller-manager, from {@code e2e/controlplane}), one node whose kubelet runs pods as
 * local processes ({@link Kubelet}, {@link NodeStatus}), a {@link Binder} in the scheduler's place,
 * and claims as directories ({@link ClaimDirectories}). Streamloop is installed the way users
 * install it, with {@code kubectl apply -k manifests/}. A test harness: never shipped in the
 * operator or runner images.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalCluster.class.getName());
  private static final Duration TICK = Duration.ofMillis(200);

  /**
   * @param root The repository (its build output is what the images run).
   * @param dir Where the control plane, pods, claims and logs live.
   * @param backoff The kubelet's first restart back-off (a real kubelet's is 10 s), doubling to
   *     eight times it.
   */
  public record Options(Path root, Path dir, Duration backoff) {
    public Options {
      root = root.toAbsolutePath();
      dir = dir.toAbsolutePath(); // the processes run elsewhere: relative paths would break
    }

    /** The repository's layout, from its root. */
    public static Options of(Path root, Path dir) {
      return new Options(root, dir, Duration.ofSeconds(1));
    }
  }

  private final Options options;
  private final ControlPlane plane;
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final ChildProcesses processes = new ChildProcesses();
  private final KubernetesClient admin;
  private final NodeStatus node;
  private final Kubelet kubelet;
  private final Binder binder;
  private final ClaimDirectories claims;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "local-cluster");
            thread.setDaemon(true);
            return thread;
          });

  private LocalCluster(Options options, ControlPlane plane) {
    this.options = options;
    this.plane = plane;
    this.admin = client(Identity.ADMIN);
    this.node = new NodeStatus(client(Identity.NODE));
    node.register();
    this.kubelet =
        new Kubelet(
            new Kubelet.Settings(
                options.dir(),
                client(Identity.NODE),
                Images.of(options.root()),
                plane.port(),
                processes,
                options.backoff(),
                options.backoff().multipliedBy(8)));
    this.binder = new Binder(client(Identity.SCHEDULER));
    this.claims = new ClaimDirectories(admin, options.dir());
  }

  /** Starts the control plane, the node and its kubelet; Streamloop is not installed yet. */
  public static LocalCluster start(Options options) {
    // pods and the control plane of an earlier run that ended without cleaning up (claims stay)
    Trees.delete(options.dir().resolve("pods"));
    Trees.delete(options.dir().resolve("control-plane"));
    ControlPlane plane =
        ControlPlane.start(options.root(), options.dir().resolve("control-plane"), true);
    try {
      LocalCluster cluster = new LocalCluster(options, plane);
      cluster.loop.scheduleWithFixedDelay(cluster::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
      cluster.loop.scheduleWithFixedDelay(
          cluster::renewLease,
          NodeStatus.RENEW_SECONDS,
          NodeStatus.RENEW_SECONDS,
          TimeUnit.SECONDS);
      return cluster;
    } catch (RuntimeException | Error e) {
      plane.close();
      throw e;
    }
  }

  /**
   * Installs Streamloop as users do ({@code kubectl apply -k manifests/}: namespace, CRD, RBAC, the
   * operator's Deployment) and waits until the operator is available.
   */
  public void install(Duration timeout) {
    Kubectl.Result apply = kubectl("apply", "-k", options.root().resolve("manifests").toString());
    if (apply.exitCode() != 0) {
      throw new IllegalStateException("kubectl apply -k manifests/ failed:\n" + apply.output());
    }
    Kubectl.Result rollout =
        kubectl(
            "-n",
            Operator.NAMESPACE,
            "rollout",
            "status",
            "deployment/" + Operator.DEPLOYMENT,
            "--timeout=" + timeout.toSeconds() + "s");
    if (rollout.exitCode() != 0) {
      throw new IllegalStateException(
          "the operator did not become available: "
              + rollout.output()
              + operator().logTail().map(tail -> "\nits log ends:\n" + tail).orElse(""));
    }
  }

  private void tick() {
    try {
      binder.reconcile();
      kubelet.reconcile();
    } catch (RuntimeException e) {
      // a conflict or a vanished object: the next pass starts from what the server holds
      LOG.log(Level.FINE, "local cluster pass failed; retrying", e);
    }
  }

  private void renewLease() {
    try {
      node.renew();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "renewing the node's lease failed; retrying", e);
    }
  }

  private KubernetesClient client(Identity identity) {
    KubernetesClient client =
        new KubernetesClientBuilder().withConfig(plane.config(identity)).build();
    clients.add(client);
    return client;
  }

  /** A client with the admin's rights, as a user with kubectl has. */
  public KubernetesClient client() {
    return admin;
  }

  /** Runs kubectl as the admin. */
  public Kubectl.Result kubectl(String... args) {
    return plane.kubectl(args);
  }

  public ControlPlane controlPlane() {
    return plane;
  }

  /** The operator as installed. */
  public Operator operator() {
    return new Operator(this);
  }

  /** The process id of a pod's running container, as a node's operator could find it. */
  public Optional<Long> pid(String namespace, String pod) {
    return kubelet.pid(namespace, pod);
  }

  /** The log of a pod's container, if it ran on this node. */
  public Optional<Path> log(String namespace, String pod) {
    return kubelet.log(namespace, pod);
  }

  /** Stops the kubelet's pods (within their grace, at most 30 s), then the control plane. */
  @Override
  public void close() {
    loop.shutdown();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kubelet.shutdown(Duration.ofSeconds(30));
    processes.close();
    binder.close();
    claims.close();
    clients.forEach(KubernetesClient::close);
    plane.close();
  }
}
