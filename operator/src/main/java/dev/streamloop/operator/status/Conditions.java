package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the status conditions (metav1.Condition shape). A condition keeps its lastTransitionTime
 * while its status stays the same, so that a recomputed status equals the stored one and the
 * recorder has nothing to write.
 */
public final class Conditions {
  /** True when the query does what its current spec asks (runners ready, or last run succeeded). */
  public static final String READY = "Ready";

  /** True while the operator or the runners are moving towards the spec (rollout, a run). */
  public static final String PROGRESSING = "Progressing";

  /** True when something is wrong that needs a person: invalid spec, failing runners. */
  public static final String DEGRADED = "Degraded";

  /** Available-now without a schedule: True when the current generation's run succeeded. */
  public static final String COMPLETE = "Complete";

  /** Available-now without a schedule: True when the current generation's run failed. */
  public static final String FAILED = "Failed";

  /** True while an edit the running checkpoint cannot serve waits (see spec.evolution). */
  public static final String CHANGE_PENDING = "ChangePending";

  /** Continuous queries: True when no source has a backlog and the lag is within maxLag. */
  public static final String CAUGHT_UP = "CaughtUp";

  /** With spec.freshness: True while the lag is within maxLag. */
  public static final String FRESH = "Fresh";

  /** kstatus' abnormal-true condition: True while the operator works towards the spec. */
  public static final String RECONCILING = "Reconciling";

  /** kstatus' abnormal-true condition: True when the spec cannot be reached without a person. */
  public static final String STALLED = "Stalled";

  private final List<Condition> previous;
  private final long generation;
  private final String now;
  private final List<Condition> result = new ArrayList<>();

  public Conditions(List<Condition> previous, long generation, String now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now;
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    Condition.Status value = status ? Condition.Status.True : Condition.Status.False;
    String since =
        previous.stream()
            .filter(c -> c.type().equals(type) && c.status() == value)
            .map(Condition::lastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now);
    result.removeIf(c -> c.type().equals(type));
    result.add(new Condition(type, value, generation, since, reason, message));
    return this;
  }

  /** The status set so far for {@code type}, null when it is not set. */
  public Condition.Status status(String type) {
    return result.stream()
        .filter(c -> c.type().equals(type))
        .map(Condition::status)
        .findFirst()
        .orElse(null);
  }

  /** The condition set so far for {@code type}, null when it is not set. */
  public Condition get(String type) {
    return result.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }

  public List<Condition> build() {
    return List.copyOf(result);
  }
}
