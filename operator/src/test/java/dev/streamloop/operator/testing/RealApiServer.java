package dev.streamloop.operator.testing;

import dev.streamloop.controlplane.ControlPlane;
import dev.streamloop.controlplane.SharedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;

/**
 * The test JVM's real API server ({@link SharedApiServer}: etcd and kube-apiserver with the CRD, no
 * controllers) and the admin's client to it. The reconciler's tests play the StatefulSet and Job
 * controllers and the kubelet by writing statuses; each works in a namespace of its own.
 */
public final class RealApiServer {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static KubernetesClient client;

  private RealApiServer() {}

  /** The admin's client (system:masters), the API server started on first use. */
  public static synchronized KubernetesClient client() {
    if (client == null) {
      client = new KubernetesClientBuilder().withConfig(controlPlane().adminConfig()).build();
    }
    return client;
  }

  public static ControlPlane controlPlane() {
    return SharedApiServer.get(ROOT);
  }

  /** A new namespace named {@code prefix-N}. */
  public static String namespace(String prefix) {
    return SharedApiServer.namespace(controlPlane(), prefix);
  }
}
