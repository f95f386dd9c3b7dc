package dev.streamloop.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.validation.StreamingQueryValidator;
import dev.streamloop.operator.Queries;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredObjectsTest {
  private static final String IMAGE = "streamloop/runner:test";

  @Test
  void theStatefulSetRunsParallelismRunnersWithTheRunnerContract() {
    StreamingQuery query = Queries.continuous();
    StatefulSet sts = RunnerStatefulSet.build(query, IMAGE);

    assertOwnedChild(sts, "clicks-runner", "runner");
    assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
    assertThat(sts.getSpec().getSelector().getMatchLabels())
        .containsOnlyKeys(Labels.NAME, Labels.INSTANCE, Labels.COMPONENT);
    assertThat(sts.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
    Container runner = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(runner.getImage()).isEqualTo(IMAGE);
    assertThat(runner.getArgs())
        .containsExactly(
            "run",
            "--query",
            "/streamloop/query/query.yaml",
            "--checkpoint",
            "/streamloop/checkpoint",
            "--http-port",
            "8080",
            "--termination-log",
            "/dev/termination-log");
    assertThat(runner.getEnv())
        .extracting(e -> e.getName())
        .contains(
            "STREAMLOOP_QUERY_NAMESPACE",
            "STREAMLOOP_QUERY_NAME",
            "STREAMLOOP_GENERATION",
            "STREAMLOOP_REPLICA_INDEX",
            "STREAMLOOP_REPLICA_COUNT",
            "STREAMLOOP_RUNNER_IMAGE");
    assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(
            v -> v.getConfigMap() != null && v.getConfigMap().getName().equals("clicks-spec-3"));
    assertThat(sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName())
        .isEqualTo("checkpoint");
    assertThat(
            sts.getSpec()
                .getVolumeClaimTemplates()
                .get(0)
                .getSpec()
                .getResources()
                .getRequests()
                .get("storage")
                .toString())
        .isEqualTo("2Gi");
    assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted())
        .isEqualTo("Retain");
    assertRestricted(sts.getSpec().getTemplate().getSpec());
  }

  @Test
  void theRunnersPodMonitorSelectsTheRunnerPodsOnTheirMetricsPort() throws Exception {
    var monitor =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
            .unmarshal(
                java.nio.file.Files.readString(
                    java.nio.file.Path.of("../manifests/monitoring/runner-pod-monitor.yaml")),
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    @SuppressWarnings("unchecked")
    var spec = (java.util.Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    var selector =
        (java.util.Map<String, String>)
            ((java.util.Map<String, Object>) spec.get("selector")).get("matchLabels");
    @SuppressWarnings("unchecked")
    var endpoint = ((List<java.util.Map<String, String>>) spec.get("podMetricsEndpoints")).get(0);
    var template = RunnerStatefulSet.build(Queries.continuous(), IMAGE).getSpec().getTemplate();

    assertThat(template.getMetadata().getLabels()).containsAllEntriesOf(selector);
    assertThat(template.getSpec().getContainers().get(0).getPorts())
        .anyMatch(p -> p.getName().equals(endpoint.get("port")));
    assertThat(endpoint.get("path")).isEqualTo("/metrics");
  }

  @Test
  void aRewindAndACheckpointResetReachTheRunnersAsTheirArguments() {
    var yaml = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    StreamingQuery query =
        yaml.unmarshal(
            Queries.CONTINUOUS.replace(
                "  badRecords:",
                "  rewind: {nonce: 2, from: Timestamp, timestamp: \"2026-12-01T00:00:00Z\"}\n  badRecords:"),
            StreamingQuery.class);

    Container runner =
        RunnerStatefulSet.build(
                query,
                IMAGE,
                false,
                new dev.streamloop.api.v1alpha1.CheckpointReset(
                    3L, dev.streamloop.api.v1alpha1.CheckpointReset.Scope.State, List.of("r")))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);

    assertThat(runner.getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains(
            "STREAMLOOP_REWIND=2:timestamp:2026-12-01T00:00:00Z",
            "STREAMLOOP_CHECKPOINT_RESET=state@3");
  }

  @Test
  void aRocksDbRunnerGetsALocalVolumeItsMemoryLimitAndASmallerHeap() {
    var yaml = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    StreamingQuery query =
        yaml.unmarshal(
            Queries.CONTINUOUS.replace(
                "  badRecords:", "  state: {store: rocksdb, localVolumeSize: 20Gi}\n  badRecords:"),
            StreamingQuery.class);

    PodSpec pod =
        RunnerStatefulSet.build(query, IMAGE, false, null).getSpec().getTemplate().getSpec();
    Container runner = pod.getContainers().get(0);

    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("state-local"))
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit().toString()).isEqualTo("20Gi"));
    assertThat(runner.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("state-local");
              assertThat(m.getMountPath()).isEqualTo("/var/lib/streamloop/local");
            });
    assertThat(runner.getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains(
            "STREAMLOOP_LOCAL_DIR=/var/lib/streamloop/local",
            "MALLOC_ARENA_MAX=2",
            "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError"
                + " -Djava.io.tmpdir=/tmp");
    assertThat(runner.getEnv())
        .filteredOn(e -> e.getName().equals("STREAMLOOP_MEMORY_LIMIT"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getResourceFieldRef().getResource())
                    .isEqualTo("limits.memory"));
    assertRestricted(pod);

    PodSpec heap =
        RunnerStatefulSet.build(Queries.continuous(), IMAGE, false, null)
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(heap.getVolumes()).noneMatch(v -> v.getName().equals("state-local"));
  }

  @Test
  void theConnectorsSecretsAreMountedReadOnlyKeyByKeyWhereTheRunnerReadsThem() {
    StreamingQuery query =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
            .unmarshal(
                Queries.CONTINUOUS
                    .replace(
                        "rate: {rowsPerSecond: 10}",
                        "kafka: {bootstrapServers: k:9093, topics: [t], security: {protocol:"
                            + " SASL_SSL, tls: {caCertificate: {name: kafka-ca, key: ca.crt}},"
                            + " sasl: {credentials: {secretName: kafka-user}}}}\n"
                            + "      schema: [{name: v, type: string}]")
                    .replace(
                        "console: {numRows: 20, truncate: true}",
                        "jdbc: {url: 'jdbc:postgresql://db/x', table: t, credentials: {secretName:"
                            + " db, usernameKey: user}}"),
                StreamingQuery.class);
    PodSpec pod = RunnerStatefulSet.build(query, IMAGE).getSpec().getTemplate().getSpec();

    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(
            v -> v.getSecret().getSecretName(),
            v -> v.getSecret().getOptional(),
            v -> v.getSecret().getItems().stream().map(i -> i.getKey()).toList())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("db", true, List.of("password", "user")),
            org.assertj.core.groups.Tuple.tuple("kafka-ca", true, List.of("ca.crt")),
            org.assertj.core.groups.Tuple.tuple(
                "kafka-user", true, List.of("password", "username")));
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getName().startsWith("secret-"))
        .extracting(m -> m.getMountPath(), m -> m.getReadOnly())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/etc/streamloop/secrets/db", true),
            org.assertj.core.groups.Tuple.tuple("/etc/streamloop/secrets/kafka-ca", true),
            org.assertj.core.groups.Tuple.tuple("/etc/streamloop/secrets/kafka-user", true));
    assertRestricted(pod);
  }

  @Test
  void aSuspendedQueryHasNoRunners() {
    StreamingQuery suspended =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
            .unmarshal(
                Queries.CONTINUOUS.replace("suspend: false", "suspend: true"),
                StreamingQuery.class);
    assertThat(RunnerStatefulSet.build(suspended, IMAGE).getSpec().getReplicas()).isZero();
  }

  @Test
  void anAvailableNowRunIsOneJobPerReplicaOnThatReplicasCheckpointClaim() {
    StreamingQuery query = Queries.availableNow();
    List<Job> jobs =
        RunnerJob.build(query, IMAGE, 3, java.util.Map.of("streamloop.dev/run-key", "k"), null);

    assertThat(jobs)
        .extracting(j -> j.getMetadata().getName())
        .containsExactly("clicks-run-3-0", "clicks-run-3-1");
    for (int i = 0; i < 2; i++) {
      Job job = jobs.get(i);
      assertOwnedChild(job, "clicks-run-3-" + i, "run");
      PodSpec pod = job.getSpec().getTemplate().getSpec();
      assertThat(pod.getRestartPolicy()).isEqualTo("Never");
      String claim =
          pod.getVolumes().stream()
              .filter(v -> v.getPersistentVolumeClaim() != null)
              .findFirst()
              .orElseThrow()
              .getPersistentVolumeClaim()
              .getClaimName();
      assertThat(claim).isEqualTo("checkpoint-clicks-runner-" + i);
      String index = String.valueOf(i);
      assertThat(pod.getContainers().get(0).getEnv())
          .anyMatch(
              e -> e.getName().equals("STREAMLOOP_REPLICA_INDEX") && e.getValue().equals(index));
      assertThat(job.getSpec().getPodFailurePolicy().getRules().get(0).getOnExitCodes().getValues())
          .containsExactly(2);
      assertThat(job.getSpec().getBackoffLimit()).isEqualTo(10);
      assertRestricted(pod);
    }
    assertThat(CheckpointClaims.build(query))
        .extracting(c -> c.getMetadata().getName())
        .containsExactly("checkpoint-clicks-runner-0", "checkpoint-clicks-runner-1");
    // Retained claims have no owner: deleting the query must not delete its checkpoints.
    assertThat(CheckpointClaims.build(query).get(0).getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  void theRunnersRoleOnlyPatchesItsQuerysStatus() {
    Role role = RunnerAccess.role(Queries.continuous());
    assertOwnedChild(role, "clicks-runner", "runner");
    assertThat(role.getRules())
        .allSatisfy(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("streamloop.dev");
              assertThat(rule.getResourceNames()).containsExactly("clicks");
              assertThat(rule.getVerbs())
                  .doesNotContain("*", "create", "delete", "update", "list", "watch");
            });
    assertThat(role.getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getResources()).containsExactly("streamingqueries/status");
              assertThat(rule.getVerbs()).containsExactly("patch");
            });
    assertThat(RunnerAccess.roleBinding(Queries.continuous()).getSubjects().get(0).getName())
        .isEqualTo("clicks-runner");
  }

  @Test
  void theSpecSnapshotIsImmutableAndAValidDocumentForTheRunner() {
    ConfigMap snapshot = SpecSnapshot.build(Queries.continuous());
    assertOwnedChild(snapshot, "clicks-spec-3", "spec-snapshot");
    assertThat(snapshot.getImmutable()).isTrue();
    String document = snapshot.getData().get("query.yaml");
    var result = StreamingQueryValidator.fromCrd().validateYaml(document);
    assertThat(result.errors()).isEmpty();
    assertThat(result.query().getSpec()).isEqualTo(Queries.continuous().getSpec());
    assertThat(document).doesNotContain("status");
  }

  private static void assertOwnedChild(HasMetadata child, String name, String component) {
    assertThat(child.getMetadata().getName()).isEqualTo(name);
    assertThat(child.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(child.getMetadata().getLabels())
        .containsEntry(Labels.NAME, "streamloop")
        .containsEntry(Labels.INSTANCE, "clicks")
        .containsEntry(Labels.MANAGED_BY, "streamloop-operator")
        .containsEntry(Labels.COMPONENT, component)
        .containsEntry(Labels.GENERATION, "3");
    assertThat(child.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getKind()).isEqualTo("StreamingQuery");
              assertThat(owner.getUid()).isEqualTo("5f7c2a4e-1111-4222-8333-944455556666");
              assertThat(owner.getController()).isTrue();
            });
  }

  private static void assertRestricted(PodSpec pod) {
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    for (Container c : pod.getContainers()) {
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }
  }
}
