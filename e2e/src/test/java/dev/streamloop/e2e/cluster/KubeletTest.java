package dev.streamloop.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.controlplane.ControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulated kubelet and binder under the real controllers, without the operator: the node is
 * registered and Ready, Jobs run through the real Job controller (Indexed Jobs, backoffLimit,
 * podFailurePolicy, which read the pod statuses the kubelet writes), the termination message, the
 * image check, graceful deletion, and deletion through the real garbage collector. The containers
 * are the runner's {@code validate} command.
 */
class KubeletTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Duration MINUTE = Duration.ofSeconds(60);
  private static LocalCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory(ROOT.resolve("e2e/target"), "cluster-test-");
    cluster = LocalCluster.start(LocalCluster.Options.of(ROOT, dir));
    client = cluster.client();
    client
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("jobs")
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("queries")
                .withNamespace("jobs")
                .endMetadata()
                .addToData(
                    "good.yaml",
                    Files.readString(
                        ROOT.resolve("manifests/examples/quickstart-rate-console.yaml")))
                .addToData("bad.yaml", "kind: StreamingQuery\n")
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void theNodeIsRegisteredReadyAndItsLeaseIsRenewed() {
    var node = client.nodes().withName(ControlPlane.NODE).get();
    assertThat(node.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    var lease = client.leases().inNamespace("kube-node-lease").withName(ControlPlane.NODE).get();
    var renewed = lease.getSpec().getRenewTime();
    await()
        .atMost(MINUTE)
        .until(
            () ->
                client
                    .leases()
                    .inNamespace("kube-node-lease")
                    .withName(ControlPlane.NODE)
                    .get()
                    .getSpec()
                    .getRenewTime()
                    .isAfter(renewed));
  }

  @Test
  void anIndexedJobRunsEachIndexOnceAndCompletes() {
    Job job = job("indexed", "good.yaml");
    job.getSpec().setCompletionMode("Indexed");
    job.getSpec().setCompletions(3);
    job.getSpec().setParallelism(2);
    client.resource(job).create();

    JobCondition done = awaitFinished("indexed");
    assertThat(done.getType()).isEqualTo("Complete");
    Job finished = client.batch().v1().jobs().inNamespace("jobs").withName("indexed").get();
    assertThat(finished.getStatus().getCompletedIndexes()).isEqualTo("0-2");
    assertThat(finished.getStatus().getSucceeded()).isEqualTo(3);
    List<Pod> pods =
        client.pods().inNamespace("jobs").withLabel("job-name", "indexed").list().getItems();
    assertThat(pods)
        .extracting(
            p -> p.getMetadata().getLabels().get("batch.kubernetes.io/job-completion-index"))
        .containsExactlyInAnyOrder("0", "1", "2");
  }

  @Test
  void failedPodsCountAgainstTheBackoffLimitAndAFailJobRuleEndsAtOnce() {
    Job retried = job("retried", "bad.yaml");
    retried.getSpec().setBackoffLimit(1);
    client.resource(retried).create();
    Job failFast = job("fail-fast", "bad.yaml");
    failFast.getSpec().setBackoffLimit(5);
    failFast
        .getSpec()
        .setPodFailurePolicy(
            new io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder()
                .addNewRule()
                .withAction("FailJob")
                .withNewOnExitCodes()
                .withOperator("In")
                .withValues(2)
                .endOnExitCodes()
                .endRule()
                .build());
    client.resource(failFast).create();

    assertThat(awaitFinished("retried").getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace("jobs")
                .withName("retried")
                .get()
                .getStatus()
                .getFailed())
        .isEqualTo(2);
    assertThat(awaitFinished("fail-fast").getReason()).isEqualTo("PodFailurePolicy");
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace("jobs")
                .withName("fail-fast")
                .get()
                .getStatus()
                .getFailed())
        .isEqualTo(1);
    // the failed pod's termination message is the runner's error (FallbackToLogsOnError)
    Pod pod =
        client
            .pods()
            .inNamespace("jobs")
            .withLabel("job-name", "fail-fast")
            .list()
            .getItems()
            .get(0);
    var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(2);
    assertThat(terminated.getMessage()).isNotBlank();
  }

  @Test
  void anUnknownImageWaitsWithErrImagePullAndDeletingTheJobRemovesItsPods() {
    Job job = job("unknown-image", "good.yaml");
    job.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("busybox:1.36");
    client.resource(job).create();

    await()
        .atMost(MINUTE)
        .until(
            () ->
                waitingReason(
                    client
                        .pods()
                        .inNamespace("jobs")
                        .withLabel("job-name", "unknown-image")
                        .list()
                        .getItems()),
            "ErrImagePull"::equals);
    client.batch().v1().jobs().inNamespace("jobs").withName("unknown-image").delete();
    await()
        .atMost(MINUTE)
        .until(
            () ->
                client
                    .pods()
                    .inNamespace("jobs")
                    .withLabel("job-name", "unknown-image")
                    .list()
                    .getItems()
                    .isEmpty());
  }

  private static String waitingReason(List<Pod> pods) {
    if (pods.isEmpty()
        || pods.get(0).getStatus() == null
        || pods.get(0).getStatus().getContainerStatuses() == null
        || pods.get(0).getStatus().getContainerStatuses().isEmpty()) {
      return null;
    }
    var waiting = pods.get(0).getStatus().getContainerStatuses().get(0).getState().getWaiting();
    return waiting == null ? null : waiting.getReason();
  }

  private static JobCondition awaitFinished(String name) {
    return await()
        .atMost(MINUTE)
        .until(
            () -> {
              Job job = client.batch().v1().jobs().inNamespace("jobs").withName(name).get();
              // the real Job controller first adds SuccessCriteriaMet or FailureTarget
              return job.getStatus() == null || job.getStatus().getConditions() == null
                  ? null
                  : job.getStatus().getConditions().stream()
                      .filter(c -> List.of("Complete", "Failed").contains(c.getType()))
                      .filter(c -> c.getStatus().equals("True"))
                      .findFirst()
                      .orElse(null);
            },
            c -> c != null);
  }

  /** A Job whose container runs the runner's validate on {@code file} of ConfigMap queries. */
  private static Job job(String name, String file) {
    PodTemplateSpec template =
        new PodTemplateSpecBuilder()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("runner")
            .withImage("streamloop/runner:0.1.0")
            .withArgs("validate", "/queries/" + file)
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .addNewVolumeMount()
            .withName("queries")
            .withMountPath("/queries")
            .endVolumeMount()
            .endContainer()
            .addNewVolume()
            .withName("queries")
            .withNewConfigMap()
            .withName("queries")
            .endConfigMap()
            .endVolume()
            .endSpec()
            .build();
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("jobs")
        .endMetadata()
        .withNewSpec()
        .withTemplate(template)
        .endSpec()
        .build();
  }
}
