package dev.streamloop.operator.status;

import dev.streamloop.operator.desired.Labels;
import dev.streamloop.operator.desired.SpecValidationJob;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Why runners are failing, read from their pods: each kind of failure has its own reason and a
 * message that says what to do. A pure function of the pods.
 */
public final class RunnerHealth {
  private RunnerHealth() {}

  /**
   * A runner problem.
   *
   * @param reason CamelCase reason for the Degraded condition and the event.
   * @param message What happened and what to do.
   * @param restarts Restarts of the runner containers so far.
   */
  public record Problem(String reason, String message, int restarts) {}

  /** The most serious problem among {@code pods}, if any. */
  public static Optional<Problem> assess(List<Pod> pods) {
    return pods.stream()
        // a validation Job's pod that refuses a spec is reported as the spec's problem instead
        .filter(p -> !SpecValidationJob.COMPONENT.equals(component(p)))
        .map(RunnerHealth::assess)
        .flatMap(Optional::stream)
        .max(Comparator.comparingInt(p -> severity(p.reason())));
  }

  private static String component(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(Labels.COMPONENT);
  }

  static Optional<Problem> assess(Pod pod) {
    String name = pod.getMetadata().getName();
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    for (PodCondition condition : nullSafe(pod.getStatus().getConditions())) {
      if ("PodScheduled".equals(condition.getType())
          && "False".equals(condition.getStatus())
          && "Unschedulable".equals(condition.getReason())) {
        return Optional.of(
            new Problem(
                "Unschedulable",
                "runner pod "
                    + name
                    + " cannot be scheduled: "
                    + condition.getMessage()
                    + " (check spec.runner.resources, nodeSelector, tolerations and affinity)",
                0));
      }
    }
    for (ContainerStatus container : nullSafe(pod.getStatus().getContainerStatuses())) {
      int restarts = container.getRestartCount() == null ? 0 : container.getRestartCount();
      var waiting = container.getState() == null ? null : container.getState().getWaiting();
      ContainerStateTerminated terminated = terminated(container);
      if (waiting != null
          && List.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName")
              .contains(waiting.getReason())) {
        return Optional.of(
            new Problem(
                "ImagePullFailed",
                "runner pod "
                    + name
                    + " cannot pull image "
                    + container.getImage()
                    + ": "
                    + waiting.getMessage()
                    + " (check spec.runner.image and imagePullSecrets)",
                restarts));
      }
      if (terminated != null && "OOMKilled".equals(terminated.getReason())) {
        return Optional.of(
            new Problem(
                "OOMKilled",
                "runner pod "
                    + name
                    + " ran out of memory and was killed ("
                    + restarts
                    + " restarts): raise spec.runner.resources.limits.memory or lower the"
                    + " batch size (maxFilesPerTrigger, maxOffsetsPerTrigger)",
                restarts));
      }
      if (terminated != null && Integer.valueOf(2).equals(terminated.getExitCode())) {
        return Optional.of(
            new Problem(
                "RunnerRejectedSpec",
                "runner pod "
                    + name
                    + " refused the query (exit code 2, not retried usefully): "
                    + message(terminated),
                restarts));
      }
      if (waiting != null && "CrashLoopBackOff".equals(waiting.getReason())) {
        return Optional.of(
            new Problem(
                "CrashLoop",
                "runner pod "
                    + name
                    + " keeps failing ("
                    + restarts
                    + " restarts); last exit: "
                    + (terminated == null ? "unknown" : message(terminated)),
                restarts));
      }
    }
    return Optional.empty();
  }

  /** The state a container is in, or the one it was last in if it is waiting to restart. */
  private static ContainerStateTerminated terminated(ContainerStatus container) {
    if (container.getState() != null && container.getState().getTerminated() != null) {
      return container.getState().getTerminated();
    }
    return container.getLastState() == null ? null : container.getLastState().getTerminated();
  }

  private static String message(ContainerStateTerminated terminated) {
    String message = terminated.getMessage() == null ? "" : terminated.getMessage().strip();
    return "exit code "
        + terminated.getExitCode()
        + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")")
        + (message.isEmpty() ? "" : ": " + message);
  }

  private static int severity(String reason) {
    return switch (reason) {
      case "RunnerRejectedSpec" -> 5;
      case "ImagePullFailed" -> 4;
      case "OOMKilled" -> 3;
      case "Unschedulable" -> 2;
      default -> 1;
    };
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
