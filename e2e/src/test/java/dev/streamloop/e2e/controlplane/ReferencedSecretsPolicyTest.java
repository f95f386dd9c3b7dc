package dev.streamloop.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamloop.controlplane.ControlPlane;
import dev.streamloop.controlplane.SharedApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admission policy of crds/ on a real API server: a user who may create StreamingQueries but
 * not read a Secret cannot make a query that names it (its runners would read it on the user's
 * behalf); once allowed to read it, the same request passes. Users are impersonated by the admin,
 * and RBAC judges them as it judges anyone.
 */
class ReferencedSecretsPolicyTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static ControlPlane plane;
  private static KubernetesClient admin;
  private static KubernetesClient alice;
  private static String namespace;

  @BeforeAll
  static void aliceMayWriteQueriesButReadNoSecret() {
    plane = SharedApiServer.get(ROOT);
    namespace = SharedApiServer.namespace(plane, "secrets-policy");
    admin = new KubernetesClientBuilder().withConfig(plane.adminConfig()).build();
    alice =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(plane.adminConfig()).withImpersonateUsername("alice").build())
            .build();
    allowAlice(
        "query-writer",
        new PolicyRuleBuilder()
            .withApiGroups("streamloop.dev")
            .withResources("streamingqueries")
            .withVerbs("get", "create", "update", "patch")
            .build());
  }

  @AfterAll
  static void close() {
    alice.close();
    admin.close();
  }

  /** Role {@code role} with {@code rule}, bound to alice. */
  private static void allowAlice(String role, PolicyRule rule) {
    admin
        .rbac()
        .roles()
        .inNamespace(namespace)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName(role)
                .endMetadata()
                .withRules(rule)
                .build())
        .createOr(existing -> existing.update());
    admin
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("alice-" + role)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", role)
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName("alice")
                .endSubject()
                .build())
        .createOr(existing -> existing.update());
  }

  /** Alice may read Secret {@code secret}. */
  private static void allowAliceToRead(String role, String secret) {
    allowAlice(
        role,
        new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("secrets")
            .withResourceNames(secret)
            .withVerbs("get")
            .build());
  }

  /** A rate-to-JDBC query whose credentials are in Secret {@code secret}, plus {@code runner}. */
  private static GenericKubernetesResource query(String name, String secret, String runner)
      throws Exception {
    String yaml =
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: %s}
        spec:
          sources:
            - name: ticks
              rate: {rowsPerSecond: 1}
          query: SELECT "value" FROM ticks
          sinks:
            - name: db
              jdbc:
                url: jdbc:postgresql://db.example.com/shop
                table: ticks
                credentials: {secretName: %s}
          runner: %s
        """
            .formatted(name, secret, runner);
    return YAML.readValue(yaml, GenericKubernetesResource.class);
  }

  private static GenericKubernetesResource create(
      KubernetesClient client, GenericKubernetesResource query) {
    return client
        .genericKubernetesResources(StreamingQueryResource.DEFINITION)
        .inNamespace(namespace)
        .resource(query)
        .create();
  }

  @Test
  void aQueryNamingSecretsTheUserMayNotReadIsRefusedNamingThem() throws Exception {
    GenericKubernetesResource query =
        query(
            "refused",
            "db-admin",
            "{env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: api-token, key: t}}}],"
                + " volumes: [{name: certs, mountPath: /certs, secret: {secretName: tls-keys}}]}");

    KubernetesClientException e =
        catchThrowableOfType(() -> create(alice, query), KubernetesClientException.class);

    assertThat(e).as("alice's create was allowed").isNotNull();
    assertThat(e.getCode()).isEqualTo(403);
    assertThat(e.getStatus().getMessage())
        .contains("the query names Secret db-admin, which alice may not read")
        .contains("get permission to read it (get secrets)");
  }

  @Test
  void aConfigMapTheUserMayNotReadIsRefusedToo() throws Exception {
    allowAliceToRead("read-reporting-secret", "reporting");
    GenericKubernetesResource query =
        query(
            "config",
            "reporting",
            "{volumes: [{name: settings, mountPath: /settings, configMap: {name: jvm-options}}]}");

    KubernetesClientException e =
        catchThrowableOfType(() -> create(alice, query), KubernetesClientException.class);

    assertThat(e).isNotNull();
    assertThat(e.getStatus().getMessage())
        .contains("the query names ConfigMap jvm-options, which alice may not read")
        .doesNotContain("Secret reporting");
  }

  @Test
  void onceTheUserMayReadTheSecretTheSameQueryIsAccepted() throws Exception {
    allowAliceToRead("read-orders-secret", "orders-db");

    assertThatCode(() -> create(alice, query("allowed", "orders-db", "{}")))
        .doesNotThrowAnyException();
  }

  @Test
  void podLevelRunnerOptionsNeedTheRightToCreatePods() throws Exception {
    GenericKubernetesResource query =
        query("own-image", "orders-db", "{image: registry.example.com/anything:1}");
    allowAliceToRead("read-orders-db", "orders-db");

    KubernetesClientException e =
        catchThrowableOfType(() -> create(alice, query), KubernetesClientException.class);

    assertThat(e).as("alice set the runner's image without the right to create pods").isNotNull();
    assertThat(e.getStatus().getMessage())
        .contains("spec.runner.image may only be set by who may create pods in " + namespace)
        .contains("and alice may not");
  }

  @Test
  void aQueryAnAdminMadeCanBeRelabelledButNotRepointedByTheUser() throws Exception {
    create(admin, query("admins", "payments-db", "{}"));
    var queries =
        alice.genericKubernetesResources(StreamingQueryResource.DEFINITION).inNamespace(namespace);

    assertThatCode(
            () ->
                queries
                    .withName("admins")
                    .edit(
                        q -> {
                          q.getMetadata().setLabels(Map.of("team", "data"));
                          return q;
                        }))
        .as("a label names no Secret")
        .doesNotThrowAnyException();
    KubernetesClientException e =
        catchThrowableOfType(
            () ->
                queries
                    .withName("admins")
                    .edit(
                        q -> {
                          @SuppressWarnings("unchecked")
                          Map<String, Object> spec =
                              (Map<String, Object>) q.getAdditionalProperties().get("spec");
                          spec.put("query", "SELECT \"value\" * 2 AS \"value\" FROM ticks");
                          return q;
                        }),
            KubernetesClientException.class);

    assertThat(e)
        .as("alice changed the spec of a query naming a Secret she may not read")
        .isNotNull();
    assertThat(e.getStatus().getMessage())
        .contains("the query names Secret payments-db, which alice may not read");
  }
}
