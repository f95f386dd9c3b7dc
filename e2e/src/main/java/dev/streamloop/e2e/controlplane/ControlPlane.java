package dev.streamloop.e2e.controlplane;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A real Kubernetes control plane on loopback: etcd and kube-apiserver (RBAC authorization,
 * service-account issuer and signing key), the upstream binaries that {@code
 * e2e/controlplane/build.sh} builds from Go modules. Every port is chosen free, so two control
 * planes can run at once. The admin identity is a static token in {@code system:masters}.
 */
public final class ControlPlane implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final String adminToken = UUID.randomUUID().toString();
  private final List<Process> processes = new ArrayList<>();
  private int apiServerPort;

  private ControlPlane(Path bin, Path dir) {
    this.bin = bin;
    this.dir = dir;
  }

  /** Builds the binaries if this machine has none yet, then starts etcd and the API server. */
  public static ControlPlane start(Path projectRoot, Path dir) {
    ControlPlane plane = new ControlPlane(Binaries.ensure(projectRoot), dir);
    try {
      plane.startProcesses();
      return plane;
    } catch (RuntimeException | Error e) {
      plane.close();
      throw e;
    }
  }

  private void startProcesses() {
    try {
      Files.createDirectories(dir.resolve("pki"));
      Path saKey = dir.resolve("pki/sa.key");
      Files.writeString(saKey, privateKeyPem());
      Path tokens = dir.resolve("tokens.csv");
      Files.writeString(tokens, adminToken + ",admin,admin,system:masters\n");
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
      start(
          "kube-apiserver",
          List.of(
              "--etcd-servers=" + etcd,
              "--bind-address=127.0.0.1",
              "--secure-port=" + apiServerPort,
              // there is no default route to find an address on, and no Service IP to reach
              "--advertise-address=127.0.0.1",
              "--endpoint-reconciler-type=none",
              "--cert-dir=" + dir.resolve("pki"),
              "--token-auth-file=" + tokens,
              "--authorization-mode=RBAC",
              "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
              "--service-account-signing-key-file=" + saKey,
              "--service-account-key-file=" + saKey,
              "--service-cluster-ip-range=10.96.0.0/24",
              "--profiling=false"));
      Readiness.await(
          "kube-apiserver",
          url() + "/readyz",
          adminToken,
          Duration.ofSeconds(60),
          this::deadProcess);
      writeKubeconfig();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The API server's URL. */
  public String url() {
    return "https://127.0.0.1:" + apiServerPort;
  }

  /** A kubeconfig for the admin identity. */
  public Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  /** The fabric8 client configuration of the admin identity. */
  public Config adminConfig() {
    return new ConfigBuilder()
        .withMasterUrl(url())
        .withCaCertFile(dir.resolve("pki/apiserver.crt").toString())
        .withOauthToken(adminToken)
        .withHttp2Disable(true)
        .build();
  }

  /** Runs kubectl with the admin kubeconfig; its exit code and combined output. */
  public Kubectl.Result kubectl(String... args) {
    return new Kubectl(bin.resolve("kubectl"), kubeconfig(), dir).run(args);
  }

  private void writeKubeconfig() throws IOException {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: local
            cluster: {server: "%s", certificate-authority: "%s"}
        users:
          - name: admin
            user: {token: "%s"}
        contexts:
          - name: local
            context: {cluster: local, user: admin, namespace: default}
        current-context: local
        """
            .formatted(url(), dir.resolve("pki/apiserver.crt"), adminToken);
    Files.writeString(kubeconfig(), yaml);
  }

  private void start(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(bin.resolve(name).toString());
    command.addAll(args);
    processes.add(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start());
  }

  /** The log's tail of a component that exited, or null while all run. */
  private String deadProcess() {
    for (Process p : processes) {
      if (!p.isAlive()) {
        String name = Path.of(p.info().command().orElse("?")).getFileName().toString();
        return "exited with " + p.exitValue() + "; see " + dir.resolve(name + ".log");
      }
    }
    return null;
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    processes.clear();
  }

  private static String privateKeyPem() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(pkcs8)
          + "\n-----END PRIVATE KEY-----\n";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
