package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;

/**
 * Checks a new generation with the runner's own {@code validate} (schema, CEL rules, the SQL
 * against the sources' schemas, output-mode rules) before the running runners are replaced: a query
 * whose SQL does not compile never stops the last valid generation. The pod is the runner pod
 * without the checkpoint volume; its errors become the termination message (the logs' tail, as the
 * runner prints them).
 */
public final class SpecValidationJob {
  public static final String COMPONENT = "spec-validation";

  private SpecValidationJob() {}

  public static String name(StreamingQuery query) {
    return query.getMetadata().getName() + "-validate-" + SpecSnapshot.generation(query);
  }

  public static Job build(StreamingQuery query, String image) {
    PodTemplateSpec template =
        RunnerPod.template(query, image, null, RunnerPod.env("STREAMLOOP_REPLICA_INDEX", "0"));
    template.getMetadata().getLabels().putAll(Labels.of(query, COMPONENT));
    template.getSpec().setRestartPolicy("Never");
    Container container = template.getSpec().getContainers().get(0);
    container.setArgs(List.of("validate", RunnerPod.QUERY_DIR + "/" + SpecSnapshot.FILE));
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
