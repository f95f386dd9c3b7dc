package dev.streamloop.controlplane;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes control plane on loopback, from the upstream binaries that {@code
 * e2e/controlplane/build.sh} builds from Go modules: etcd, kube-apiserver (Node and RBAC
 * authorization, the NodeRestriction admission plugin, a service-account issuer and signing key, an
 * audit log) and, when asked, kube-controller-manager (every default controller but the endpoint
 * ones, as its own identity with per-controller ServiceAccounts). Every port is chosen free, so two
 * control planes can run at once. Only the kubelet is missing: the local cluster (e2e) brings an
 * emulated one for node {@value #NODE}.
 */
public final class ControlPlane implements AutoCloseable {
  /** The one node's name. */
  public static final String NODE = "local";

  private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

  private final Path bin;
  private final Path dir;
  private final Credentials credentials;
  private final List<Process> processes = new ArrayList<>();
  private final ChildProcesses children = new ChildProcesses();
  private int apiServerPort;

  private ControlPlane(Path bin, Path dir) {
    this.bin = bin;
    this.dir = dir.toAbsolutePath();
    this.credentials = new Credentials(this.dir);
  }

  /**
   * Builds the binaries if this machine has none yet, then starts etcd and the API server, and the
   * controller manager when {@code controllers} is set. The directory holds their data, logs,
   * credentials and kubeconfigs.
   */
  public static ControlPlane start(Path projectRoot, Path dir, boolean controllers) {
    ControlPlane plane = new ControlPlane(Binaries.ensure(projectRoot), dir);
    try {
      plane.startEtcdAndApiServer();
      if (controllers) {
        plane.startControllerManager();
      }
      return plane;
    } catch (RuntimeException | Error e) {
      plane.close();
      throw e;
    }
  }

  /** etcd and the API server only: enough for API tests, with no controller acting. */
  public static ControlPlane start(Path projectRoot, Path dir) {
    return start(projectRoot, dir, false);
  }

  private void startEtcdAndApiServer() {
    credentials.write();
    int etcdPort = freePort();
    int peerPort = freePort();
    String etcd = "http://127.0.0.1:" + etcdPort;
    start(
        "etcd",
        List.of(
            "--name=local",
            "--data-dir=" + dir.resolve("etcd"),
            "--listen-client-urls=" + etcd,
            "--advertise-client-urls=" + etcd,
            "--listen-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-cluster=local=http://127.0.0.1:" + peerPort,
            "--listen-metrics-urls=",
            // a test cluster: its data does not have to survive a power loss
            "--unsafe-no-fsync=true",
            "--log-level=warn"));
    Readiness.await("etcd", etcd + "/health", null, Duration.ofSeconds(30), this::deadProcess);
    apiServerPort = freePort();
    Path auditPolicy = writeAuditPolicy();
    start(
        "kube-apiserver",
        List.of(
            "--etcd-servers=" + etcd,
            "--bind-address=127.0.0.1",
            "--secure-port=" + apiServerPort,
            // there is no default route to find an address on, and no Service IP to reach
            "--advertise-address=127.0.0.1",
            "--endpoint-reconciler-type=none",
            "--cert-dir=" + credentials.pki(),
            "--token-auth-file=" + credentials.tokenFile(),
            "--authorization-mode=Node,RBAC",
            "--enable-admission-plugins=NodeRestriction",
            "--service-account-issuer=" + ISSUER,
            "--service-account-signing-key-file=" + credentials.serviceAccountKey(),
            "--service-account-key-file=" + credentials.serviceAccountKey(),
            "--service-cluster-ip-range=10.96.0.0/24",
            "--audit-policy-file=" + auditPolicy,
            "--audit-log-path=" + auditLog().file(),
            "--audit-log-maxsize=200",
            "--profiling=false"));
    Readiness.await(
        "kube-apiserver",
        url() + "/readyz",
        credentials.token(Identity.ADMIN),
        Duration.ofSeconds(90),
        this::deadProcess);
    credentials.writeKubeconfigs(url());
  }

  private void startControllerManager() {
    Path kubeconfig = credentials.kubeconfig(Identity.CONTROLLER_MANAGER);
    int port = freePort();
    start(
        "kube-controller-manager",
        List.of(
            "--kubeconfig=" + kubeconfig,
            "--authentication-kubeconfig=" + kubeconfig,
            "--authorization-kubeconfig=" + kubeconfig,
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
            "--secure-port=" + port,
            "--cert-dir=" + dir.resolve("kcm-pki"),
            // publishes kube-root-ca.crt, the CA that pods' projected volumes carry
            "--root-ca-file=" + credentials.caFile(),
            "--service-account-private-key-file=" + credentials.serviceAccountKey(),
            "--use-service-account-credentials=true",
            "--service-cluster-ip-range=10.96.0.0/24",
            // Services are not routed here (pods are processes on 127.0.0.1, which an
            // EndpointSlice may not hold): the endpoint controllers have nothing to do
            "--controllers=*,-endpoints-controller,-endpointslice-controller,"
                + "-endpointslice-mirroring-controller",
            "--kube-api-qps=100",
            "--kube-api-burst=200"));
    Readiness.await(
        "kube-controller-manager",
        "https://127.0.0.1:" + port + "/healthz",
        null,
        Duration.ofSeconds(60),
        this::deadProcess);
  }

  /** Metadata of every request, but the control plane's own reads: what RBAC refused, and whom. */
  private Path writeAuditPolicy() {
    Path policy = dir.resolve("audit-policy.yaml");
    String yaml =
        """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: [RequestReceived]
        rules:
          - level: None
            users: ["system:kube-controller-manager", "system:kube-scheduler", "system:node:%s",
                    "system:apiserver"]
            verbs: [get, list, watch]
          - level: None
            userGroups: ["system:serviceaccounts:kube-system"]
            verbs: [get, list, watch]
          - level: Metadata
        """
            .formatted(NODE);
    try {
      Files.writeString(policy, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return policy;
  }

  /** The API server's URL. */
  public String url() {
    return "https://127.0.0.1:" + apiServerPort;
  }

  public int port() {
    return apiServerPort;
  }

  /** The CA that signed the API server's certificate. */
  public Path caFile() {
    return credentials.caFile();
  }

  /** A kubeconfig for the admin identity. */
  public Path kubeconfig() {
    return credentials.kubeconfig(Identity.ADMIN);
  }

  public AuditLog auditLog() {
    return new AuditLog(dir.resolve("audit.log"));
  }

  /** The fabric8 client configuration of the admin identity. */
  public Config adminConfig() {
    return config(Identity.ADMIN);
  }

  /** The fabric8 client configuration of {@code identity}. */
  public Config config(Identity identity) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withCaCertFile(credentials.caFile().toString())
        .withOauthToken(credentials.token(identity))
        .withNamespace("default")
        .build();
  }

  /** Runs kubectl with the admin kubeconfig; its exit code and combined output. */
  public Kubectl.Result kubectl(String... args) {
    return kubectl().run(args);
  }

  /** The kubectl binary built with the control plane, for users of the local cluster. */
  public Path kubectlBinary() {
    return bin.resolve("kubectl");
  }

  /** kubectl with the admin kubeconfig, for runs with input. */
  public Kubectl kubectl() {
    return new Kubectl(bin.resolve("kubectl"), kubeconfig(), dir);
  }

  private void start(String name, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(bin.resolve(name).toString());
    command.addAll(args);
    processes.add(
        children.start(
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                    ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))));
  }

  /** The log of a component that exited, or null while all run. */
  private String deadProcess() {
    for (Process p : processes) {
      if (!p.isAlive()) {
        return "exited with " + p.exitValue() + "; see its log in " + dir;
      }
    }
    return null;
  }

  /** Stops the components, the last started first (SIGTERM, then SIGKILL after 10 s). */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    processes.clear();
    children.close();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
