package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a new generation with the runner's own {@code validate} (schema, CEL rules, the SQL
 * against the sources' schemas, output-mode rules) before the running runners are replaced: a query
 * whose SQL does not compile never stops the last valid generation; with the running generation's
 * snapshot mounted beside it, also the runner's verdict on the edit (exit 1: StateIncompatible).
 * The pod is the runner pod without the checkpoint volume; the runner writes its errors or verdict
 * to the termination message.
 */
public final class SpecValidationJob {
  public static final String COMPONENT = "spec-validation";
  private static final String RUNNING_VOLUME = "running-query";
  private static final String RUNNING_DIR = "/streamloop/running";

  private SpecValidationJob() {}

  public static String name(StreamingQuery query) {
    return query.getMetadata().getName() + "-validate-" + SpecSnapshot.generation(query);
  }

  /**
   * @param running The generation the runners run, whose snapshot the new one is compared with
   *     (null: none to compare with).
   */
  public static Job build(StreamingQuery query, String image, Long running) {
    PodTemplateSpec template =
        RunnerPod.template(query, image, null, RunnerPod.env("STREAMLOOP_REPLICA_INDEX", "0"));
    template.getMetadata().getLabels().putAll(Labels.of(query, COMPONENT));
    template.getSpec().setRestartPolicy("Never");
    Container container = template.getSpec().getContainers().get(0);
    // the errors and the verdict go to the termination message (4 KiB), not only to the log's
    // tail (2 KiB, which FallbackToLogsOnError falls back to)
    List<String> args =
        new ArrayList<>(
            List.of(
                "validate",
                RunnerPod.QUERY_DIR + "/" + SpecSnapshot.FILE,
                "--termination-log",
                "/dev/termination-log"));
    if (running != null) {
      // the verdict on the edit, from the runner's own compatibility rules (exit 1 when the
      // checkpoint cannot serve it)
      template
          .getSpec()
          .getVolumes()
          .add(
              new VolumeBuilder()
                  .withName(RUNNING_VOLUME)
                  .withNewConfigMap()
                  .withName(ChildNames.snapshot(query.getMetadata().getName(), running))
                  .endConfigMap()
                  .build());
      container
          .getVolumeMounts()
          .add(
              new VolumeMountBuilder()
                  .withName(RUNNING_VOLUME)
                  .withMountPath(RUNNING_DIR)
                  .withReadOnly(true)
                  .build());
      args.addAll(List.of("--running", RUNNING_DIR + "/" + SpecSnapshot.FILE));
    }
    container.setArgs(args);
    container.getVolumeMounts().removeIf(m -> m.getName().equals(ChildNames.CHECKPOINT_VOLUME));
    container.setReadinessProbe(null);
    container.setLivenessProbe(null);
    container.setPorts(List.of());
    return new JobBuilder()
        .withMetadata(Owners.meta(query, name(query), COMPONENT))
        .withNewSpec()
        .withBackoffLimit(0)
        // Kubernetes removes it an hour after it ends; the operator reads it long before.
        .withTtlSecondsAfterFinished(3600)
        .withTemplate(template)
        .endSpec()
        .build();
  }
}
