package dev.streamloop.operator;

import dev.streamloop.operator.desired.Labels;
import dev.streamloop.operator.schedule.Run;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.Map;

/** Run Jobs as the Job controller leaves them, for tests. */
public final class TestJobs {
  private TestJobs() {}

  /**
   * Replica 0's Job of run {@code run}, with run key {@code key} and, unless null, the condition
   * (Complete, Failed) the Job controller set.
   */
  public static Job job(long run, String key, String condition) {
    JobBuilder job =
        new JobBuilder()
            .withNewMetadata()
            .withName("q-run-" + run + "-0")
            .withLabels(Map.of(Labels.RUN, String.valueOf(run)))
            .withAnnotations(Map.of(Run.KEY, key))
            .endMetadata();
    if (condition != null) {
      job.withNewStatus()
          .addNewCondition()
          .withType(condition)
          .withStatus("True")
          .endCondition()
          .endStatus();
    }
    return job.build();
  }

  /**
   * {@code job} as the Job controller finishes it, with a status the API server accepts: a start
   * and (for Complete) a completion time, and the terminal condition after the condition that
   * precedes it (SuccessCriteriaMet before Complete, FailureTarget before Failed).
   */
  public static Job finished(Job job, String condition, String reason, String message) {
    String now =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    boolean complete = condition.equals("Complete");
    String before = complete ? "SuccessCriteriaMet" : "FailureTarget";
    var status =
        new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
            .withStartTime(now)
            .withSucceeded(complete ? 1 : 0)
            .withFailed(complete ? 0 : 1)
            .addNewCondition()
            .withType(before)
            .withStatus("True")
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(now)
            .endCondition()
            .addNewCondition()
            .withType(condition)
            .withStatus("True")
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(now)
            .endCondition();
    if (complete) {
      status.withCompletionTime(now);
    }
    job.setStatus(status.build());
    return job;
  }

  /**
   * A pod of Job {@code job} as the kubelet leaves it when its container ended with {@code
   * exitCode} and {@code message} (the termination message); {@code template} gives its labels and
   * spec (null: none).
   */
  public static io.fabric8.kubernetes.api.model.Pod endedPod(
      String job,
      io.fabric8.kubernetes.api.model.PodTemplateSpec template,
      int exitCode,
      String message) {
    return new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata()
        .withName(job + "-abcde")
        .withLabels(template == null ? Map.of() : template.getMetadata().getLabels())
        .addToLabels("job-name", job)
        .endMetadata()
        .withSpec(template == null ? null : template.getSpec())
        .withNewStatus()
        .addNewContainerStatus()
        .withName("runner")
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withMessage(message)
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }
}
