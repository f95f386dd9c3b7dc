package dev.streamloop.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The real API server of {@link RealApiServer} for a {@code @QuarkusTest}: the application's
 * Kubernetes client is pointed at it (as the admin: the operator's own RBAC is proven end to end,
 * on the local cluster), and it watches only namespace {@link #NAMESPACE}, so that queries other
 * tests in this JVM left behind are not its business.
 */
public final class RealApiServerResource implements QuarkusTestResourceLifecycleManager {
  /** The namespace the application watches. */
  public static final String NAMESPACE = "quarkus-app";

  @Override
  public Map<String, String> start() {
    Config config = RealApiServer.controlPlane().adminConfig();
    RealApiServer.client()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .endMetadata()
                .build())
        .serverSideApply();
    return Map.of(
        "quarkus.kubernetes-client.api-server-url", config.getMasterUrl(),
        "quarkus.kubernetes-client.ca-cert-file", config.getCaCertFile(),
        "quarkus.kubernetes-client.token", config.getOauthToken(),
        "quarkus.operator-sdk.namespaces", NAMESPACE);
  }

  @Override
  public void stop() {
    // the API server lives as long as the test JVM (RealApiServer's shutdown hook)
  }
}
