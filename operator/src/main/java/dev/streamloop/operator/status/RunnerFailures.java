package dev.streamloop.operator.status;

import dev.streamloop.operator.desired.Labels;
import dev.streamloop.operator.desired.RunnerAccess;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The runner containers that ended with a non-zero exit code, read from the continuous runners'
 * pods: the current state and the last one (the kubelet keeps one). Pods being deleted are left
 * out: a runner stopped by the operator (scale-down, rollout) may be killed after its grace period,
 * which is not a failure of the query.
 */
public final class RunnerFailures {
  /** Reasons of exit code 2: the runner refused the spec or the checkpoint; not retried. */
  static final Set<String> NOT_RETRYABLE = Set.of("InvalidSpec", "CheckpointUnusable");

  private RunnerFailures() {}

  /**
   * A runner container's failure.
   *
   * @param finishedAt When it ended: what identifies it across reconciles.
   * @param reason Error, OOMKilled, InvalidSpec or CheckpointUnusable.
   * @param message Exit code, reason and the termination message.
   */
  public record Failure(Instant finishedAt, String reason, String message) {}

  /** Failures of the runner pods, oldest first. */
  public static List<Failure> of(List<Pod> pods) {
    List<Failure> failures = new ArrayList<>();
    for (Pod pod : pods) {
      var labels = pod.getMetadata().getLabels();
      if (pod.getMetadata().getDeletionTimestamp() != null
          || labels == null
          || !RunnerAccess.COMPONENT.equals(labels.get(Labels.COMPONENT))
          || labels.containsKey(Labels.RUN)
          || pod.getStatus() == null
          || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
        if (container.getState() != null) {
          failure(pod, container.getState().getTerminated()).ifPresent(failures::add);
        }
        if (container.getLastState() != null) {
          failure(pod, container.getLastState().getTerminated()).ifPresent(failures::add);
        }
      }
    }
    failures.sort(Comparator.comparing(Failure::finishedAt));
    return failures;
  }

  private static java.util.Optional<Failure> failure(Pod pod, ContainerStateTerminated ended) {
    if (ended == null
        || ended.getExitCode() == null
        || ended.getExitCode() == 0
        || ended.getFinishedAt() == null) {
      return java.util.Optional.empty();
    }
    String terminationMessage = ended.getMessage() == null ? "" : ended.getMessage().strip();
    String reason;
    if ("OOMKilled".equals(ended.getReason())) {
      reason = "OOMKilled";
    } else if (ended.getExitCode() == 2) {
      reason =
          terminationMessage.toLowerCase(java.util.Locale.ROOT).contains("checkpoint")
              ? "CheckpointUnusable"
              : "InvalidSpec";
    } else {
      reason = "Error";
    }
    return java.util.Optional.of(
        new Failure(
            Instant.parse(ended.getFinishedAt()),
            reason,
            "runner pod "
                + pod.getMetadata().getName()
                + ": exit code "
                + ended.getExitCode()
                + (ended.getReason() == null ? "" : " (" + ended.getReason() + ")")
                + (terminationMessage.isEmpty() ? "" : ": " + terminationMessage)));
  }
}
