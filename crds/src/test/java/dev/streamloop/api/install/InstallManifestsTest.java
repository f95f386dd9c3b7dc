package dev.streamloop.api.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@code kubectl apply -k manifests/} installs: complete, least-privilege, restricted. */
class InstallManifestsTest {
  private static final Path ROOT = Path.of(System.getProperty("streamloop.repoRoot"));
  private static List<HasMetadata> objects;

  @BeforeAll
  static void readManifests() throws IOException {
    objects = Kustomization.resources(ROOT.resolve("manifests"));
  }

  private static <T extends HasMetadata> T one(Class<T> kind) {
    List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(found).as("exactly one %s", kind.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  @Test
  void installsIntoARestrictedNamespace() throws IOException {
    // each namespaced object names its namespace; cluster-scoped ones have none (a kustomize
    // namespace transformer would give one to the admission policy, a kind it does not know)
    assertThat(Kustomization.read(ROOT.resolve("manifests")).has("namespace")).isFalse();
    Set<Class<?>> clusterScoped =
        Set.of(
            Namespace.class,
            CustomResourceDefinition.class,
            ClusterRole.class,
            ClusterRoleBinding.class,
            ValidatingAdmissionPolicy.class,
            ValidatingAdmissionPolicyBinding.class);
    assertThat(objects)
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getNamespace())
                    .as("the namespace of %s %s", o.getKind(), o.getMetadata().getName())
                    .isEqualTo(clusterScoped.contains(o.getClass()) ? null : "streamloop-system"));
    assertThat(objects).anyMatch(ValidatingAdmissionPolicy.class::isInstance);
    Namespace namespace = one(Namespace.class);
    assertThat(namespace.getMetadata().getName()).isEqualTo("streamloop-system");
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  @Test
  void installsTheCommittedCrd() throws IOException {
    CustomResourceDefinition committed =
        new KubernetesSerialization()
            .unmarshal(
                Files.readString(ROOT.resolve("crds/streamingqueries.streamloop.dev.yaml")),
                CustomResourceDefinition.class);

    assertThat(one(CustomResourceDefinition.class)).isEqualTo(committed);
  }

  @Test
  void operatorPodIsRestrictedAndProbed() {
    Deployment deployment = one(Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(pod.getServiceAccountName())
        .isEqualTo(one(ServiceAccount.class).getMetadata().getName());
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
  }

  @Test
  void clusterRoleGrantsNoWildcardsAndNoSecrets() {
    ClusterRole role = one(ClusterRole.class);

    assertThat(role.getRules())
        .allSatisfy(
            rule -> {
              assertThat(rule.getVerbs()).doesNotContain("*");
              assertThat(rule.getResources()).doesNotContain("*", "secrets");
              assertThat(rule.getApiGroups()).doesNotContain("*");
            });
    assertThat(role.getRules())
        .anyMatch(r -> r.getResources().contains("streamingqueries/status"))
        .anyMatch(r -> r.getResources().contains("statefulsets"))
        .anyMatch(r -> r.getResources().contains("jobs"));
  }

  @Test
  void everyRbacRuleSaysWhy() throws IOException {
    for (String file : List.of("cluster-role.yaml", "leader-election-role.yaml")) {
      List<String> lines = Files.readAllLines(ROOT.resolve("manifests/operator").resolve(file));
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).trim().startsWith("- apiGroups:")) {
          assertThat(lines.get(i - 1).trim())
              .as("%s line %d: a comment above the rule says why it is needed", file, i + 1)
              .startsWith("#");
        }
      }
    }
  }

  @Test
  void bindingsNameTheOperatorServiceAccount() {
    ClusterRoleBinding binding = one(ClusterRoleBinding.class);
    Role leaderElection = one(Role.class);

    assertThat(binding.getRoleRef().getName())
        .isEqualTo(one(ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(one(ServiceAccount.class).getMetadata().getName());
              assertThat(s.getNamespace()).isEqualTo("streamloop-system");
            });
    assertThat(leaderElection.getRules().stream().flatMap(r -> r.getResources().stream()))
        .containsOnly("leases");
    assertThat(leaderElection.getRules().stream().map(PolicyRule::getVerbs).flatMap(List::stream))
        .doesNotContain("delete", "list", "watch");
  }

  @Test
  void imagesRunAsANonRootUser() throws IOException {
    for (String image : List.of("operator", "runner")) {
      List<String> lines =
          Files.readAllLines(ROOT.resolve("images").resolve(image).resolve("Dockerfile"));
      try (Stream<String> users = lines.stream().filter(l -> l.startsWith("USER "))) {
        assertThat(users.toList())
            .as("images/%s/Dockerfile", image)
            .singleElement()
            .satisfies(u -> assertThat(u).matches("USER [1-9][0-9]*:[1-9][0-9]*"));
      }
    }
  }
}
