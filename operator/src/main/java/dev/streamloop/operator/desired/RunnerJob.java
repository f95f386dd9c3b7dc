package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.RestartPolicySpec;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One available-now run: a Job per replica, each mounting its replica's checkpoint claim. One Job
 * per replica rather than one Indexed Job, because a Job has one pod template and so cannot mount a
 * different claim per completion index; separate Jobs also let one replica retry without the
 * others. Exit code 2 (invalid spec or unusable checkpoint) fails the Job at once: retrying cannot
 * help. Other failures are retried up to {@code restartPolicy.maxRetries} (default 10), or never.
 */
public final class RunnerJob {
  public static final String COMPONENT = "run";

  private RunnerJob() {}

  /**
   * The Jobs of run {@code run}; {@code annotations} record why it runs, {@code reset} is the
   * checkpoint reset the generation rolls out with (null: none; each runner does it once).
   */
  public static List<Job> build(
      StreamingQuery query,
      String image,
      long run,
      Map<String, String> annotations,
      CheckpointReset reset) {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < RunnerPod.parallelism(query); i++) {
      Job job = build(query, image, run, i);
      RunnerPod.addReset(job.getSpec().getTemplate(), reset);
      job.getMetadata().setAnnotations(new java.util.LinkedHashMap<>(annotations));
      jobs.add(job);
    }
    return jobs;
  }

  static Job build(StreamingQuery query, String image, long run, int index) {
    String name = query.getMetadata().getName();
    PodTemplateSpec template =
        RunnerPod.template(
            query,
            image,
            new VolumeBuilder()
                .withName(ChildNames.CHECKPOINT_VOLUME)
                .withPersistentVolumeClaim(
                    new PersistentVolumeClaimVolumeSourceBuilder()
                        .withClaimName(ChildNames.checkpointClaim(name, index))
                        .build())
                .build(),
            RunnerPod.env("STREAMLOOP_REPLICA_INDEX", String.valueOf(index)));
    template.getMetadata().getLabels().put(Labels.RUN, String.valueOf(run));
    template.getSpec().setRestartPolicy("Never");
    Job job =
        new JobBuilder()
            .withMetadata(Owners.meta(query, ChildNames.runJob(name, run, index), COMPONENT))
            .withNewSpec()
            .withCompletions(1)
            .withParallelism(1)
            .withBackoffLimit(retries(query))
            .withNewPodFailurePolicy()
            .withRules(
                new PodFailurePolicyRuleBuilder()
                    .withAction("FailJob")
                    .withNewOnExitCodes()
                    .withContainerName(RunnerPod.CONTAINER)
                    .withOperator("In")
                    .withValues(2)
                    .endOnExitCodes()
                    .build())
            .endPodFailurePolicy()
            .withTemplate(template)
            .endSpec()
            .build();
    job.getMetadata().getLabels().put(Labels.RUN, String.valueOf(run));
    return job;
  }

  static int retries(StreamingQuery query) {
    RestartPolicySpec policy = query.getSpec().restartPolicy();
    if (policy == null) {
      return RestartPolicySpec.DEFAULT_MAX_RETRIES;
    }
    if (policy.type() == RestartPolicySpec.Type.Never) {
      return 0;
    }
    return policy.maxRetries() != null
        ? policy.maxRetries()
        : RestartPolicySpec.DEFAULT_MAX_RETRIES;
  }
}
