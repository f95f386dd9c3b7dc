package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local cluster's API server: the fabric8 mock server in CRUD mode on a loopback port, plus the
 * discovery documents it lacks. Like the mock server, it has no admission, no server-side apply and
 * no graceful deletion (a DELETE removes the object at once; see {@link Kubelet} for how pods still
 * stop gracefully).
 */
public final class ApiServer implements AutoCloseable {
  private final KubernetesMockServer server;
  private final Discovery discovery;
  private final KubernetesClient client;

  private ApiServer(KubernetesMockServer server, Discovery discovery) {
    this.server = server;
    this.discovery = discovery;
    this.client = new KubernetesClientBuilder().withConfig(config(url())).build();
  }

  /** Starts on {@code port} of the loopback interface (0: any free port). */
  public static ApiServer start(int port) {
    // the mock server logs every request at INFO
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    Discovery discovery = new Discovery();
    KubernetesCrudDispatcher dispatcher =
        new KubernetesCrudDispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if ("GET".equals(request.getMethod())) {
              String path = request.getPath().replaceAll("\\?.*$", "");
              Optional<String> document = discovery.answer(path);
              if (document.isPresent()) {
                return new MockResponse()
                    .setResponseCode(200)
                    .setHeader("Content-Type", "application/json")
                    .setBody(document.get());
              }
            }
            return super.dispatch(request);
          }
        };
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), port);
    return new ApiServer(server, discovery);
  }

  /** The server's URL, {@code http://127.0.0.1:<port>/}. */
  public String url() {
    return "http://" + server.getHostName() + ":" + server.getPort() + "/";
  }

  public int port() {
    return server.getPort();
  }

  /** A client of this server (shared; do not close). */
  public KubernetesClient client() {
    return client;
  }

  /** Creates {@code crd} and lists it in discovery. */
  public void apply(Path crdFile) {
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().load(crdFile.toFile()).item();
    client.resource(crd).create();
    discovery.register(crd);
  }

  static Config config(String url) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withTrustCerts(true)
        // HTTP/1.1: the JDK client's h2c upgrade against the mock server intermittently reads an
        // HTTP/1.1 answer as HTTP/2 frames ("Frame type(114) ... exceeds MAX_FRAME_SIZE")
        .withHttp2Disable(true)
        .withRequestTimeout(10_000)
        .build();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
