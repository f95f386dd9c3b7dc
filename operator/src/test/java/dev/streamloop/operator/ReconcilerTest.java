package dev.streamloop.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The reconciler in a real JOSDK operator against the fabric8 mock API server in CRUD mode; the
 * test plays the StatefulSet and Job controllers by writing their statuses.
 */
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconcilerTest {
  static KubernetesMockServer server;
  static KubernetesClient client;
  private static int tests;
  private Operator operator;

  /** Each test in its own namespace: the mock server lives as long as the class. */
  private String namespace;

  @BeforeEach
  void startOperator() {
    startOperator("test-" + ++tests);
  }

  private void startOperator(String namespace) {
    this.namespace = namespace;
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false));
    operator.register(
        new StreamingQueryReconciler(
            "streamloop/runner:test",
            java.time.Clock.systemUTC(),
            new ReconcileTracker(java.time.Clock.systemUTC())));
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  @Test
  void aContinuousQueryGetsItsRunnersAndBecomesReadyWhenTheyAre() {
    StreamingQuery created = client.resource(withoutStatus(Queries.continuous())).create();
    long generation = created.getMetadata().getGeneration();

    StatefulSet sts =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> get(StatefulSet.class, "clicks-runner"), Optional::isPresent)
            .orElseThrow();
    assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
    assertThat(get(ConfigMap.class, "clicks-spec-" + generation)).isPresent();
    assertThat(get(ServiceAccount.class, "clicks-runner")).isPresent();
    assertThat(get(Role.class, "clicks-runner")).isPresent();
    assertThat(get(RoleBinding.class, "clicks-runner")).isPresent();
    awaitCondition("Ready", Condition.Status.False, "RunnersNotReady");
    assertThat(status().phase()).isEqualTo(StreamingQueryStatus.Phase.Pending);

    // The StatefulSet controller starts both runners.
    runnersReady(sts);

    awaitCondition("Ready", Condition.Status.True, "RunnersReady");
    assertThat(status().phase()).isEqualTo(StreamingQueryStatus.Phase.Running);
    assertThat(status().observedGeneration()).isEqualTo(generation);
    assertThat(status().activeGeneration()).isEqualTo(generation);
  }

  @Test
  void anInvalidEditIsReportedAndLeavesTheRunningRunnersAlone() {
    client.resource(withoutStatus(Queries.continuous())).create();
    StatefulSet before =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> get(StatefulSet.class, "clicks-runner"), Optional::isPresent)
            .orElseThrow();
    awaitCondition("Degraded", Condition.Status.False, "AsExpected");

    // The mock server does not validate: an edit the CRD would refuse reaches the operator.
    StreamingQuery query =
        client.resources(StreamingQuery.class).inNamespace(namespace).withName("clicks").get();
    query.getSpec().sources().clear();
    StreamingQuery edited = client.resource(query).update();
    System.err.println(
        "GEN "
            + query.getMetadata().getGeneration()
            + " -> "
            + edited.getMetadata().getGeneration());

    Condition degraded = awaitCondition("Degraded", Condition.Status.True, "InvalidSpec");
    assertThat(degraded.message()).contains("spec.sources");
    assertThat(degraded.observedGeneration()).isEqualTo(edited.getMetadata().getGeneration());
    StatefulSet after = get(StatefulSet.class, "clicks-runner").orElseThrow();
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(get(ConfigMap.class, "clicks-spec-" + edited.getMetadata().getGeneration()))
        .isEmpty();
  }

  @Test
  void aChangeTheCheckpointCannotSurviveIsRefusedUntilTheCheckpointIsReset() {
    client.resource(withoutStatus(Queries.continuous())).create();
    StatefulSet before = awaitChild(StatefulSet.class, "clicks-runner");
    awaitCondition("Degraded", Condition.Status.False, "AsExpected");
    assertThat(mountSubPath(before)).isEqualTo("checkpoint-0");

    client.resource(edited("- name: \"events\"", "- name: \"clicks\"")).update();

    Condition refused = awaitCondition("Degraded", Condition.Status.True, "IncompatibleChange");
    assertThat(refused.message()).contains("[events] to [clicks]", "generation 1 keeps running");
    assertThat(
            get(StatefulSet.class, "clicks-runner")
                .orElseThrow()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());

    client.resource(edited("resetNonce: 0", "resetNonce: 1")).update();
    awaitCondition("Progressing", Condition.Status.True, "ValidatingSpec");
    finishJob("clicks-validate-3", "Complete", null);
    awaitCondition("Degraded", Condition.Status.False, "AsExpected");
    StatefulSet after =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> get(StatefulSet.class, "clicks-runner").orElseThrow(),
                sts -> mountSubPath(sts).equals("checkpoint-1"));
    assertThat(mountSubPath(after)).isEqualTo("checkpoint-1");
    assertThat(after.getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(
            v -> v.getConfigMap() != null && v.getConfigMap().getName().equals("clicks-spec-3"));
    // The StatefulSet controller rolls the runners over; generation 1's snapshot goes once no
    // runner pod mounts it (the refused 2 never had one).
    runnersReady(after);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client.configMaps().inNamespace(namespace).list().getItems().stream()
                    .map(c -> c.getMetadata().getName())
                    .toList(),
            names -> names.equals(List.of("clicks-spec-3")));
  }

  @Test
  void aQueryTheRunnerRefusesNeverReplacesTheRunningRunners() {
    client.resource(withoutStatus(Queries.continuous())).create();
    StatefulSet before = awaitChild(StatefulSet.class, "clicks-runner");
    awaitCondition("Degraded", Condition.Status.False, "AsExpected");

    // Valid for the CRD, but only the runner can tell that the column does not exist.
    client.resource(edited("SELECT \\\"value\\\" FROM events", "SELECT valu FROM events")).update();
    awaitCondition("Progressing", Condition.Status.True, "ValidatingSpec");
    Job check = awaitChild(Job.class, "clicks-validate-2");
    assertThat(check.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("validate", "/streamloop/query/query.yaml");
    // The kubelet: the validation pod exits 2 with the runner's errors as its termination message.
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("clicks-validate-2-abcde")
                .withNamespace(namespace)
                .withLabels(check.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels("job-name", "clicks-validate-2")
                .endMetadata()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("runner")
                .withNewState()
                .withNewTerminated()
                .withExitCode(2)
                .withMessage(
                    "/streamloop/query/query.yaml: spec.query: line 1, column 8: Column 'VALU' not"
                        + " found in any table; did you mean 'value'?")
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
    finishJob("clicks-validate-2", "Failed", "BackoffLimitExceeded");

    Condition refused = awaitCondition("Degraded", Condition.Status.True, "InvalidSpec");
    assertThat(refused.message())
        .contains("the runner refused it", "did you mean 'value'?", "generation 1 keeps running");
    assertThat(status().activeGeneration()).isEqualTo(1);
    assertThat(
            get(StatefulSet.class, "clicks-runner")
                .orElseThrow()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  /** The StatefulSet controller: both runners of the StatefulSet's generation are ready. */
  private static void runnersReady(StatefulSet sts) {
    sts.setStatus(
        new StatefulSetStatusBuilder()
            .withObservedGeneration(sts.getMetadata().getGeneration())
            .withReplicas(2)
            .withUpdatedReplicas(2)
            .withReadyReplicas(2)
            .build());
    client.resource(sts).updateStatus();
  }

  private void finishJob(String name, String condition, String reason) {
    Job job = awaitChild(Job.class, name);
    job.setStatus(
        new JobStatusBuilder()
            .withConditions(
                new JobConditionBuilder()
                    .withType(condition)
                    .withStatus("True")
                    .withReason(reason)
                    .build())
            .build());
    client.resource(job).updateStatus();
  }

  /** The stored query with one text replacement in its YAML (an edit as kubectl edit makes it). */
  private StreamingQuery edited(String from, String to) {
    var yaml = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    StreamingQuery query =
        client.resources(StreamingQuery.class).inNamespace(namespace).withName("clicks").get();
    String text = yaml.asYaml(query);
    assertThat(text).contains(from);
    return yaml.unmarshal(text.replace(from, to), StreamingQuery.class);
  }

  private static String mountSubPath(StatefulSet sts) {
    return sts.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getName().equals("checkpoint"))
        .findFirst()
        .orElseThrow()
        .getSubPath();
  }

  @Test
  void anAvailableNowQueryRunsJobsOnItsCheckpointClaimsAndCompletes() {
    client.resource(withoutStatus(Queries.availableNow())).create();
    long run = 1;

    for (int i = 0; i < 2; i++) {
      String name = "clicks-run-" + run + "-" + i;
      await().atMost(Duration.ofSeconds(20)).until(() -> get(Job.class, name), Optional::isPresent);
      assertThat(get(PersistentVolumeClaim.class, "checkpoint-clicks-runner-" + i)).isPresent();
    }
    assertThat(get(StatefulSet.class, "clicks-runner")).isEmpty();
    awaitCondition("Complete", Condition.Status.False, "RunInProgress");

    for (int i = 0; i < 2; i++) {
      Job job = get(Job.class, "clicks-run-" + run + "-" + i).orElseThrow();
      job.setStatus(
          new JobStatusBuilder()
              .withSucceeded(1)
              .withConditions(
                  new JobConditionBuilder().withType("Complete").withStatus("True").build())
              .build());
      client.resource(job).updateStatus();
    }

    awaitCondition("Complete", Condition.Status.True, "RunSucceeded");
    assertThat(status().phase()).isEqualTo(StreamingQueryStatus.Phase.Succeeded);

    runNow("1"); // a second run, on the same claims
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(Job.class, "clicks-run-2-0"), Optional::isPresent);
    Job second = get(Job.class, "clicks-run-2-0").orElseThrow();
    second.setStatus(
        new JobStatusBuilder()
            .withFailed(1)
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("PodFailurePolicy")
                    .withMessage("runner exited with code 2")
                    .build())
            .build());
    client.resource(second).updateStatus();

    Condition failed = awaitCondition("Failed", Condition.Status.True, "RunFailed");
    assertThat(failed.message()).startsWith("run 2");
    assertThat(status().phase()).isEqualTo(StreamingQueryStatus.Phase.Failed);
    assertThat(status().runs())
        .extracting(r -> r.name(), r -> r.reason(), r -> r.result())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "clicks-run-1",
                "SpecChange",
                dev.streamloop.api.v1alpha1.RunRecord.Result.Succeeded),
            org.assertj.core.groups.Tuple.tuple(
                "clicks-run-2", "RunNow", dev.streamloop.api.v1alpha1.RunRecord.Result.Failed));
    assertThat(status().runs().get(1).message()).contains("runner exited with code 2");
  }

  @Test
  void aRunnerThatRefusesTheQueryIsReportedWithItsMessageAndAnEventAndNotRestarted() {
    client.resource(withoutStatus(Queries.continuous())).create();
    StatefulSet sts = awaitChild(StatefulSet.class, "clicks-runner");

    client
        .resource(
            failingRunner(
                sts,
                0,
                2,
                java.time.Instant.now(),
                "spec.query: line 1, column 8: Column 'valu' not found"))
        .create();

    Condition degraded = awaitCondition("Degraded", Condition.Status.True, "RunnerRejectedSpec");
    assertThat(degraded.message()).contains("Column 'valu' not found", "exit code 2");
    assertThat(status().phase()).isEqualTo(StreamingQueryStatus.Phase.Failed);
    assertThat(status().restarts().count()).isEqualTo(1);
    assertThat(status().restarts().lastFailureReason()).isEqualTo("InvalidSpec");
    assertThat(awaitReplicas(0)).isZero(); // exit code 2 is not retried: the runners stop
    var events =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.v1().events().inNamespace(namespace).list().getItems(),
                list -> list.stream().anyMatch(e -> e.getReason().equals("RunnerRejectedSpec")));
    assertThat(events)
        .filteredOn(e -> e.getReason().equals("RunnerRejectedSpec"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("clicks");
            });
  }

  @Test
  void aFailingRunnerIsHeldForTheBackoffThenRestartedUntilMaxRetries() {
    StreamingQuery query =
        withoutStatus(
            new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                .unmarshal(
                    Queries.CONTINUOUS.replace(
                        "maxRetries: 10, initialBackoff: 10s", "maxRetries: 1, initialBackoff: 2s"),
                    StreamingQuery.class));
    client.resource(query).create();
    StatefulSet sts = awaitChild(StatefulSet.class, "clicks-runner");
    assertThat(sts.getSpec().getReplicas()).isEqualTo(2);

    // the kubelet: runner 0 exits with code 1 (a broker down, say)
    Pod failed = failingRunner(sts, 0, 1, java.time.Instant.now(), "broker unreachable");
    client.resource(failed).create();

    Condition ready = awaitCondition("Ready", Condition.Status.False, "BackingOff");
    assertThat(ready.message()).contains("failure 1 in a row", "restarting at");
    assertThat(status().restarts().nextRestartTime()).isNotNull();
    assertThat(status().restarts().lastFailureMessage()).contains("broker unreachable");
    assertThat(awaitReplicas(0)).isZero();
    // the StatefulSet controller removes the pod; the backoff passes and the runners come back
    client.resource(failed).delete();
    assertThat(awaitReplicas(2)).isEqualTo(2);
    // the StatefulSet is written before the status in the same reconcile: wait for the status
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(status().restarts().nextRestartTime()).isNull());
    assertThat(status().restarts().count()).isEqualTo(1);

    // a second failure in a row is beyond maxRetries 1: the query fails and the runners stay down
    client
        .resource(failingRunner(sts, 1, 137, java.time.Instant.now().plusSeconds(1), "killed"))
        .create();
    Condition degraded = awaitCondition("Degraded", Condition.Status.True, "QueryFailed");
    assertThat(degraded.message()).contains("killed", "spec.restartPolicy allows no more restarts");
    assertThat(status().phase()).isEqualTo(StreamingQueryStatus.Phase.Failed);
    assertThat(status().restarts().total()).isEqualTo(2);
    assertThat(awaitReplicas(0)).isZero();

    // a new restartNonce is a spec change: a fresh start
    // (the same query as the running one: no validation Job before the runners start)
    client.resource(edited("restartNonce: 0", "restartNonce: 1")).update();
    assertThat(awaitReplicas(2)).isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(status().restarts().count()).isZero());
  }

  @Test
  void suspendStopsTheRunnersAtOnceAndResumeStartsThemOnTheSameCheckpoints() {
    client.resource(withoutStatus(Queries.continuous())).create();
    StatefulSet sts = awaitChild(StatefulSet.class, "clicks-runner");
    runnersReady(sts);
    awaitCondition("Ready", Condition.Status.True, "RunnersReady");

    client.resource(edited("suspend: false", "suspend: true")).update();

    assertThat(awaitReplicas(0)).isZero(); // no validation Job first: the query is the same
    assertThat(get(Job.class, "clicks-validate-2")).isEmpty();
    // the StatefulSet controller: two runners still finishing their batch, then none
    StatefulSet stopping = get(StatefulSet.class, "clicks-runner").orElseThrow();
    stopping.setStatus(new StatefulSetStatusBuilder().withReplicas(2).build());
    stopping = client.resource(stopping).updateStatus();
    awaitCondition("Progressing", Condition.Status.True, "StoppingRunners");
    stopping.setStatus(new StatefulSetStatusBuilder().withReplicas(0).build());
    client.resource(stopping).updateStatus();
    awaitCondition("Ready", Condition.Status.False, "Suspended");
    assertThat(status().phase()).isEqualTo(StreamingQueryStatus.Phase.Suspended);

    client.resource(edited("suspend: true", "suspend: false")).update();

    assertThat(awaitReplicas(2)).isEqualTo(2);
    StatefulSet resumed = get(StatefulSet.class, "clicks-runner").orElseThrow();
    assertThat(resumed.getSpec().getVolumeClaimTemplates())
        .isEqualTo(sts.getSpec().getVolumeClaimTemplates());
    assertThat(mountSubPath(resumed)).isEqualTo(mountSubPath(sts)); // the same checkpoint
    runnersReady(resumed);
    awaitCondition("Ready", Condition.Status.True, "RunnersReady");
  }

  @Test
  void runsBeyondTheHistoryLimitAreDeletedAndStayInTheRecordedHistory() {
    client
        .resource(
            withoutStatus(
                new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                    .unmarshal(
                        Queries.CONTINUOUS
                            .replace(
                                "trigger: {processingTime: 5s}",
                                "trigger: {availableNow: {successfulRunsHistoryLimit: 1}}")
                            .replace("parallelism: 2", "parallelism: 1"),
                        StreamingQuery.class)))
        .create();
    for (int run = 1; run <= 3; run++) {
      if (run > 1) {
        runNow(String.valueOf(run));
      }
      // the kubelet: the run's runner pod ended, with the runner's summary as its message
      Job job = awaitChild(Job.class, "clicks-run-" + run + "-0");
      client
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("clicks-run-" + run + "-0-abcde")
                  .withNamespace(namespace)
                  .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                  .addToLabels("job-name", job.getMetadata().getName())
                  .endMetadata()
                  .withNewStatus()
                  .addNewContainerStatus()
                  .withName("runner")
                  .withNewState()
                  .withNewTerminated()
                  .withExitCode(0)
                  .withMessage(
                      "stopped: ...\n{\"batches\":" + run + ",\"numInputRows\":" + run * 100 + "}")
                  .endTerminated()
                  .endState()
                  .endContainerStatus()
                  .endStatus()
                  .build())
          .create();
      finishJob("clicks-run-" + run + "-0", "Complete", "CompletionsReached");
      int finished = run;
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> status().runs(),
              runs ->
                  runs != null
                      && runs.size() == finished
                      && runs.get(finished - 1).result() != null);
    }

    // run 3 is the latest, run 2 the one successful run the limit keeps: run 1 is deleted
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(Job.class, "clicks-run-1-0"), Optional::isEmpty);
    assertThat(get(Job.class, "clicks-run-2-0")).isPresent();
    assertThat(get(Job.class, "clicks-run-3-0")).isPresent();
    assertThat(status().runs())
        .extracting(r -> r.name(), r -> r.batches(), r -> r.numInputRows())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("clicks-run-1", 1L, 100L),
            org.assertj.core.groups.Tuple.tuple("clicks-run-2", 2L, 200L),
            org.assertj.core.groups.Tuple.tuple("clicks-run-3", 3L, 300L));
  }

  @Test
  void eachKindOfRunnerTroubleHasItsOwnReason() {
    client.resource(withoutStatus(Queries.continuous())).create();
    StatefulSet sts = awaitChild(StatefulSet.class, "clicks-runner");
    var template = sts.getSpec().getTemplate();

    Pod pulling =
        new PodBuilder()
            .withNewMetadata()
            .withName("clicks-runner-0")
            .withNamespace(namespace)
            .withLabels(template.getMetadata().getLabels())
            .endMetadata()
            .withSpec(template.getSpec())
            .withNewStatus()
            .addNewContainerStatus()
            .withName("runner")
            .withImage("streamloop/runner:typo")
            .withNewState()
            .withNewWaiting()
            .withReason("ImagePullBackOff")
            .withMessage("manifest unknown")
            .endWaiting()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();
    client.resource(pulling).create();
    assertThat(awaitCondition("Degraded", Condition.Status.True, "ImagePullFailed").message())
        .contains("streamloop/runner:typo", "manifest unknown", "spec.runner.image");
    client.resource(pulling).delete();

    Pod pending =
        new PodBuilder(pulling)
            .editMetadata()
            .withResourceVersion(null)
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/3 nodes are available: 3 Insufficient memory")
            .endCondition()
            .endStatus()
            .build();
    client.resource(pending).create();
    assertThat(awaitCondition("Degraded", Condition.Status.True, "Unschedulable").message())
        .contains("Insufficient memory", "spec.runner.resources");
    client.resource(pending).delete();

    Pod oom = failingRunner(sts, 1, 137, java.time.Instant.now(), "");
    oom.getStatus()
        .getContainerStatuses()
        .get(0)
        .getLastState()
        .getTerminated()
        .setReason("OOMKilled");
    client.resource(oom).create();
    assertThat(awaitCondition("Degraded", Condition.Status.True, "OOMKilled").message())
        .contains("exit code 137 (OOMKilled)");
    awaitCondition("Ready", Condition.Status.False, "BackingOff");
    assertThat(status().restarts().lastFailureReason()).isEqualTo("OOMKilled");
  }

  /** kubectl annotate sq clicks streamloop.dev/run-now=VALUE --overwrite */
  private void runNow(String value) {
    // a merge patch without resourceVersion, as kubectl annotate sends: edit() would conflict (409)
    // with the operator's status writes in between its read and its patch
    client
        .resources(StreamingQuery.class)
        .inNamespace(namespace)
        .withName("clicks")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"streamloop.dev/run-now\":\"" + value + "\"}}}");
  }

  /** A runner pod of the StatefulSet whose container last ended with {@code exitCode}. */
  private Pod failingRunner(
      StatefulSet sts, int ordinal, int exitCode, java.time.Instant finishedAt, String message) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("clicks-runner-" + ordinal)
        .withNamespace(namespace)
        .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels())
        .endMetadata()
        .withSpec(sts.getSpec().getTemplate().getSpec())
        .withNewStatus()
        .addNewContainerStatus()
        .withName("runner")
        .withRestartCount(1)
        .withNewState()
        .withNewWaiting()
        .withReason("CrashLoopBackOff")
        .endWaiting()
        .endState()
        .withNewLastState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason("Error")
        .withFinishedAt(finishedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .withMessage(message)
        .endTerminated()
        .endLastState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  private int awaitReplicas(int replicas) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> get(StatefulSet.class, "clicks-runner").orElseThrow().getSpec().getReplicas(),
            r -> r == replicas);
  }

  @Test
  void aRestartedOperatorAdoptsTheChildrenWithoutWritingThemAgain() {
    client.resource(withoutStatus(Queries.continuous())).create();
    StatefulSet sts = awaitChild(StatefulSet.class, "clicks-runner");
    awaitCondition("Degraded", Condition.Status.False, "AsExpected");
    int objects = childCount();

    operator.stop();
    startOperator(namespace);
    // A change the new operator must see: the runners become ready.
    runnersReady(sts);
    awaitCondition("Ready", Condition.Status.True, "RunnersReady");

    StatefulSet after = get(StatefulSet.class, "clicks-runner").orElseThrow();
    assertThat(after.getSpec()).isEqualTo(sts.getSpec());
    assertThat(after.getMetadata().getAnnotations()).isEqualTo(sts.getMetadata().getAnnotations());
    assertThat(childCount()).isEqualTo(objects);
  }

  /**
   * Runs last: every request the operator made in the tests above is one its ClusterRole allows.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void everyRequestTheOperatorMadeIsAllowedByTheInstalledClusterRole() throws Exception {
    ClusterRoleCoverage role = new ClusterRoleCoverage();
    java.util.Set<ClusterRoleCoverage.Access> used =
        new java.util.TreeSet<>(
            java.util.Comparator.comparing(ClusterRoleCoverage.Access::toString));
    // The mock server records the operator's requests and the test's alike (a second client with
    // its own token or user agent is recorded with the same headers): the test's own writes
    // (queries, pods, the controllers' statuses) are left out by what they are.
    Set<ClusterRoleCoverage.Access> byTest =
        Set.of(
            new ClusterRoleCoverage.Access("create", "streamloop.dev", "streamingqueries"),
            new ClusterRoleCoverage.Access("update", "streamloop.dev", "streamingqueries"),
            new ClusterRoleCoverage.Access("patch", "streamloop.dev", "streamingqueries"),
            new ClusterRoleCoverage.Access("create", "", "pods"),
            new ClusterRoleCoverage.Access("list", "", "events"),
            new ClusterRoleCoverage.Access("update", "apps", "statefulsets/status"),
            new ClusterRoleCoverage.Access("update", "batch", "jobs/status"));
    RecordedRequest request;
    while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      ClusterRoleCoverage.access(request.getMethod(), request.getPath())
          .filter(access -> !byTest.contains(access))
          .ifPresent(used::add);
    }
    assertThat(used)
        .as("requests of the operator")
        .extracting(ClusterRoleCoverage.Access::resource)
        .contains(
            "statefulsets", "jobs", "pods", "configmaps", "streamingqueries/status", "events");
    assertThat(used).allSatisfy(a -> assertThat(role.allows(a)).as(a.toString()).isTrue());
  }

  private int childCount() {
    return client.apps().statefulSets().inNamespace(namespace).list().getItems().size()
        + client.configMaps().inNamespace(namespace).list().getItems().size()
        + client.serviceAccounts().inNamespace(namespace).list().getItems().size()
        + client.rbac().roles().inNamespace(namespace).list().getItems().size()
        + client.rbac().roleBindings().inNamespace(namespace).list().getItems().size()
        + client.batch().v1().jobs().inNamespace(namespace).list().getItems().size();
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T awaitChild(
      Class<T> type, String name) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(type, name), Optional::isPresent)
        .orElseThrow();
  }

  private Condition awaitCondition(String type, Condition.Status value, String reason) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Optional.ofNullable(status())
                    .flatMap(s -> Optional.ofNullable(s.conditions()))
                    .flatMap(cs -> cs.stream().filter(c -> c.type().equals(type)).findFirst()),
            c -> c.isPresent() && c.get().status() == value && c.get().reason().equals(reason))
        .orElseThrow();
  }

  private StreamingQueryStatus status() {
    StreamingQuery query =
        client.resources(StreamingQuery.class).inNamespace(namespace).withName("clicks").get();
    return query == null ? null : query.getStatus();
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> Optional<T> get(
      Class<T> type, String name) {
    return Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
  }

  private StreamingQuery withoutStatus(StreamingQuery query) {
    query.getMetadata().setNamespace(namespace);
    query.getMetadata().setUid(null);
    query.getMetadata().setGeneration(null);
    query.setStatus(null);
    return query;
  }
}
