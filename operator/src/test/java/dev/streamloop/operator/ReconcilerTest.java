package dev.streamloop.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.operator.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler in a real JOSDK operator against a real kube-apiserver (with the CRD applied, no
 * controllers): the test plays the StatefulSet and Job controllers and the kubelet by writing their
 * statuses, through the status subresources, as valid statuses (a Job is Complete only after
 * SuccessCriteriaMet, as the real Job controller writes it).
 */
class ReconcilerTest {
  private static final KubernetesClient client = RealApiServer.client();
  private Operator operator;

  /** Each test in its own namespace: the API server lives as long as the test JVM. */
  private String namespace;

  @BeforeEach
  void startOperator() {
    startOperator(RealApiServer.namespace("reconciler"));
  }

  private void startOperator(String namespace) {
    this.namespace = namespace;
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
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
  void anEditTheCrdRefusesNeverReachesTheRunningRunners() {
    client.resource(withoutStatus(Queries.continuous())).create();
    StatefulSet before = awaitChild(StatefulSet.class, "clicks-runner");
    awaitCondition("Degraded", Condition.Status.False, "AsExpected");

    // a real API server checks the CRD's schema and rules: the operator never sees this edit
    StreamingQuery query =
        client.resources(StreamingQuery.class).inNamespace(namespace).withName("clicks").get();
    query.getSpec().sources().clear();
    assertThatThrownBy(() -> client.resource(query).update())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.sources")
        .hasMessageContaining("should have at least 1 items");

    assertThat(status().observedGeneration()).isEqualTo(1);
    assertThat(
            get(StatefulSet.class, "clicks-runner")
                .orElseThrow()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  @Test
  void aChangeTheCheckpointCannotSurviveIsRefusedUntilTheCheckpointIsReset() {
    client.resource(withoutStatus(Queries.continuous())).create();
    StatefulSet before = awaitChild(StatefulSet.class, "clicks-runner");
    awaitCondition("Degraded", Condition.Status.False, "AsExpected");
    assertThat(mountSubPath(before)).isEqualTo("checkpoint-0");

    edit("- name: \"events\"", "- name: \"clicks\"");
    // the runner's verdict on the edit against the running generation's snapshot
    validationEnded(
        "clicks-validate-2",
        1,
        "/streamloop/query/query.yaml: valid\nStateIncompatible\n  spec.sources: source clicks is"
            + " not in the checkpoint\n");
    finishJob("clicks-validate-2", "Failed", "BackoffLimitExceeded");

    Condition refused = awaitCondition("Degraded", Condition.Status.True, "IncompatibleChange");
    assertThat(refused.message())
        .contains(
            "spec.sources: source clicks is not in the checkpoint", "generation 1 keeps running");
    assertThat(
            awaitCondition("ChangePending", Condition.Status.True, "IncompatibleChange").message())
        .startsWith("generation 2 waits");
    assertThat(
            client
                .resources(StreamingQuery.class)
                .inNamespace(namespace)
                .withName("clicks")
                .get()
                .getStatus()
                .pendingChange()
                .reasons())
        .containsExactly("spec.sources: source clicks is not in the checkpoint");
    assertThat(
            get(StatefulSet.class, "clicks-runner")
                .orElseThrow()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());

    edit("resetNonce: 0", "resetNonce: 1");
    awaitCondition("Progressing", Condition.Status.True, "ValidatingSpec");
    finishJob("clicks-validate-3", "Complete", null);
    awaitCondition("Degraded", Condition.Status.False, "AsExpected");
    awaitCondition("ChangePending", Condition.Status.False, "NoPendingChange");
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
    edit("SELECT \\\"value\\\" FROM events", "SELECT valu FROM events");
    awaitCondition("Progressing", Condition.Status.True, "ValidatingSpec");
    Job check = awaitChild(Job.class, "clicks-validate-2");
    assertThat(check.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly(
            "validate",
            "/streamloop/query/query.yaml",
            "--termination-log",
            "/dev/termination-log",
            "--running",
            "/streamloop/running/query.yaml");
    assertThat(check.getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(
            v -> v.getConfigMap() != null && v.getConfigMap().getName().equals("clicks-spec-1"));
    // The kubelet: the validation pod exits 2 with the runner's errors as its termination message.
    validationEnded(
        "clicks-validate-2",
        2,
        "/streamloop/query/query.yaml: spec.query: line 1, column 8: Column 'VALU' not"
            + " found in any table; did you mean 'value'?");
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
    statefulSetStatus(
        sts,
        new StatefulSetStatusBuilder()
            .withReplicas(2)
            .withUpdatedReplicas(2)
            .withReadyReplicas(2)
            .withAvailableReplicas(2)
            .withCurrentReplicas(2)
            .build());
  }

  /** The StatefulSet controller writes {@code status} (for the StatefulSet's latest generation). */
  private static void statefulSetStatus(StatefulSet sts, StatefulSetStatus status) {
    client
        .apps()
        .statefulSets()
        .inNamespace(sts.getMetadata().getNamespace())
        .withName(sts.getMetadata().getName())
        .editStatus(
            latest -> {
              status.setObservedGeneration(latest.getMetadata().getGeneration());
              latest.setStatus(status);
              return latest;
            });
  }

  /** The Job controller finishes Job {@code name}: Complete, or Failed with {@code reason}. */
  private void finishJob(String name, String condition, String reason) {
    finishJob(name, condition, reason, null);
  }

  private void finishJob(String name, String condition, String reason, String message) {
    awaitChild(Job.class, name);
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(job -> TestJobs.finished(job, condition, reason, message));
  }

  /** The validation Job's pod as the kubelet leaves it: ended with the runner's exit and output. */
  private void validationEnded(String job, int exitCode, String message) {
    Job check = awaitChild(Job.class, job);
    Pod pod = TestJobs.endedPod(job, check.getSpec().getTemplate(), exitCode, message);
    pod.getMetadata().setNamespace(namespace);
    createWithStatus(pod);
  }

  /** Creates {@code pod}, then writes its status as the kubelet does (create ignores status). */
  private static Pod createWithStatus(Pod pod) {
    var status = pod.getStatus();
    pod.setStatus(null);
    client.resource(pod).create();
    return client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              p.setStatus(status);
              return p;
            });
  }

  /** Applies the stored query with one text replacement in its spec, as kubectl apply does. */
  private void edit(String from, String to) {
    var yaml = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    StreamingQuery query =
        client.resources(StreamingQuery.class).inNamespace(namespace).withName("clicks").get();
    String text = yaml.asYaml(query.getSpec());
    assertThat(text).contains(from);
    StreamingQuery applied = new StreamingQuery();
    applied.getMetadata().setName("clicks");
    applied.getMetadata().setNamespace(namespace);
    applied.setSpec(
        yaml.unmarshal(
            text.replace(from, to), dev.streamloop.api.v1alpha1.StreamingQuerySpec.class));
    client.resource(applied).fieldManager("kubectl").forceConflicts().serverSideApply();
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
      finishJob("clicks-run-" + run + "-" + i, "Complete", "CompletionsReached");
    }

    awaitCondition("Complete", Condition.Status.True, "RunSucceeded");
    assertThat(status().phase()).isEqualTo(StreamingQueryStatus.Phase.Succeeded);

    runNow("1"); // a second run, on the same claims
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(Job.class, "clicks-run-2-0"), Optional::isPresent);
    finishJob("clicks-run-2-0", "Failed", "PodFailurePolicy", "runner exited with code 2");

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

    createWithStatus(
        failingRunner(
            sts,
            0,
            2,
            java.time.Instant.now(),
            "spec.query: line 1, column 8: Column 'valu' not found"));

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
    Pod failed =
        createWithStatus(failingRunner(sts, 0, 1, java.time.Instant.now(), "broker unreachable"));

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
    createWithStatus(failingRunner(sts, 1, 137, java.time.Instant.now().plusSeconds(1), "killed"));
    Condition degraded = awaitCondition("Degraded", Condition.Status.True, "QueryFailed");
    assertThat(degraded.message()).contains("killed", "spec.restartPolicy allows no more restarts");
    assertThat(status().phase()).isEqualTo(StreamingQueryStatus.Phase.Failed);
    assertThat(status().restarts().total()).isEqualTo(2);
    assertThat(awaitReplicas(0)).isZero();

    // a new restartNonce is a spec change: a fresh start
    // (the same query as the running one: no validation Job before the runners start)
    edit("restartNonce: 0", "restartNonce: 1");
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

    edit("suspend: false", "suspend: true");

    assertThat(awaitReplicas(0)).isZero(); // no validation Job first: the query is the same
    assertThat(get(Job.class, "clicks-validate-2")).isEmpty();
    // the StatefulSet controller: two runners still finishing their batch, then none
    StatefulSet stopping = get(StatefulSet.class, "clicks-runner").orElseThrow();
    statefulSetStatus(stopping, new StatefulSetStatusBuilder().withReplicas(2).build());
    awaitCondition("Progressing", Condition.Status.True, "StoppingRunners");
    statefulSetStatus(stopping, new StatefulSetStatusBuilder().withReplicas(0).build());
    awaitCondition("Ready", Condition.Status.True, "Suspended");
    assertThat(status().phase()).isEqualTo(StreamingQueryStatus.Phase.Suspended);

    edit("suspend: true", "suspend: false");

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
      createWithStatus(
          new PodBuilder()
              .withNewMetadata()
              .withName("clicks-run-" + run + "-0-abcde")
              .withNamespace(namespace)
              .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
              .addToLabels("job-name", job.getMetadata().getName())
              .endMetadata()
              .withSpec(job.getSpec().getTemplate().getSpec())
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
              .build());
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
            .withSpec(podSpec(sts, 0))
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
    createWithStatus(new PodBuilder(pulling).build());
    assertThat(awaitCondition("Degraded", Condition.Status.True, "ImagePullFailed").message())
        .contains("streamloop/runner:typo", "manifest unknown", "spec.runner.image");
    client.resource(pulling).delete();
    awaitGone("clicks-runner-0");

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
    createWithStatus(pending);
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
    createWithStatus(oom);
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

  /**
   * The spec the StatefulSet controller gives pod {@code ordinal}: the template's, with a volume
   * for each claim template (claim {@code <template>-<statefulset>-<ordinal>}).
   */
  private static io.fabric8.kubernetes.api.model.PodSpec podSpec(StatefulSet sts, int ordinal) {
    var spec =
        new io.fabric8.kubernetes.api.model.PodSpecBuilder(sts.getSpec().getTemplate().getSpec());
    for (var claim : sts.getSpec().getVolumeClaimTemplates()) {
      String name = claim.getMetadata().getName();
      spec.addNewVolume()
          .withName(name)
          .withNewPersistentVolumeClaim()
          .withClaimName(name + "-" + sts.getMetadata().getName() + "-" + ordinal)
          .endPersistentVolumeClaim()
          .endVolume();
    }
    return spec.build();
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
        .withSpec(podSpec(sts, ordinal))
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

  private void awaitGone(String pod) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> client.pods().inNamespace(namespace).withName(pod).get() == null);
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
