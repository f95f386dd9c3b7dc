package dev.streamloop.operator.evolution;

import dev.streamloop.operator.schedule.Run;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the runner's {@code validate NEW --running OLD} said about a generation, read from its
 * validation Job and pod: still running, valid and compatible, valid but StateIncompatible (exit 1,
 * the reasons indented under the verdict in its termination message), or refused (any other
 * failure).
 *
 * @param reasons With INCOMPATIBLE: the verdict's reasons.
 * @param message With INVALID: why the runner refused the spec.
 */
public record ValidationOutcome(State state, List<String> reasons, String message) {
  /** The states of a validation. */
  public enum State {
    RUNNING,
    PASSED,
    INCOMPATIBLE,
    INVALID
  }

  static final int INCOMPATIBLE_EXIT = 1;
  private static final String VERDICT = "StateIncompatible";

  /** status.pendingChange.reasons holds at most this many (the CRD's maxItems). */
  private static final int MAX_REASONS = 16;

  public static ValidationOutcome of(Job job, List<Pod> pods) {
    if (Run.hasCondition(job, "Complete")) {
      return new ValidationOutcome(State.PASSED, List.of(), null);
    }
    if (!Run.hasCondition(job, "Failed")) {
      return new ValidationOutcome(State.RUNNING, List.of(), null);
    }
    String name = job.getMetadata().getName();
    Optional<ContainerStateTerminated> ended =
        pods.stream()
            .filter(p -> name.equals(p.getMetadata().getLabels().get("job-name")))
            .flatMap(
                p ->
                    p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                        ? Stream.empty()
                        : p.getStatus().getContainerStatuses().stream())
            .map(c -> c.getState() == null ? null : c.getState().getTerminated())
            .filter(Objects::nonNull)
            .findFirst();
    String output = ended.map(t -> t.getMessage() == null ? "" : t.getMessage().strip()).orElse("");
    if (ended.isPresent() && ended.get().getExitCode() == INCOMPATIBLE_EXIT) {
      List<String> reasons = reasons(output);
      return new ValidationOutcome(
          State.INCOMPATIBLE,
          reasons.isEmpty()
              ? List.of("the runner's verdict is " + VERDICT + "; see the logs of Job " + name)
              : reasons,
          null);
    }
    return new ValidationOutcome(
        State.INVALID,
        List.of(),
        "the runner refused it: " + (output.isEmpty() ? "see the logs of Job " + name : output));
  }

  /** The indented lines under the verdict line. */
  static List<String> reasons(String output) {
    List<String> lines = output.lines().toList();
    int verdict = lines.indexOf(VERDICT);
    if (verdict < 0) {
      return List.of();
    }
    return lines.subList(verdict + 1, lines.size()).stream()
        .filter(l -> l.startsWith("  "))
        .map(String::strip)
        .limit(MAX_REASONS)
        .toList();
  }
}
