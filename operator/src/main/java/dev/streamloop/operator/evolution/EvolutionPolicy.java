package dev.streamloop.operator.evolution;

import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.EvolutionSpec;
import dev.streamloop.api.v1alpha1.EvolutionSpec.OnIncompatible;
import dev.streamloop.api.v1alpha1.PendingChange;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import java.util.List;

/**
 * spec.evolution applied to a StateIncompatible verdict (a pure function): hold the generation and
 * report it, or roll it out with the smallest reset the verdict allows. A reset of the state alone
 * serves an edit whose reasons are all about the state (the aggregation, the output mode of an
 * aggregation); other reasons (sources, parallelism) need an empty checkpoint.
 */
public final class EvolutionPolicy {
  static final String INCOMPATIBLE = "IncompatibleChange";
  static final String AWAITING_APPROVAL = "AwaitingApproval";
  private static final String VERDICT = "StateIncompatible";

  private EvolutionPolicy() {}

  /** The decision on {@code query}'s generation, whose verdict has these {@code reasons}. */
  public static ChangeDecision decide(StreamingQuery query, List<String> reasons) {
    if (reasons.isEmpty()) {
      return ChangeDecision.ROLL_OUT;
    }
    long generation = query.getMetadata().getGeneration();
    OnIncompatible policy = EvolutionSpec.policy(query.getSpec());
    boolean stateOnly = reasons.stream().allMatch(EvolutionPolicy::aboutState);
    String because = String.join("; ", reasons);
    return switch (policy) {
      case ResetAll -> reset(generation, CheckpointReset.Scope.All, reasons);
      case ResetState ->
          stateOnly
              ? reset(generation, CheckpointReset.Scope.State, reasons)
              : hold(
                  query,
                  reasons,
                  INCOMPATIBLE,
                  because
                      + ". spec.evolution.onIncompatible ResetState keeps the sources' offsets,"
                      + " which cannot serve this edit: use ResetAll, or restore the sources and"
                      + " parallelism");
      case AwaitApproval -> {
        long pendingSince = pendingSince(query.getStatus(), reasons, generation);
        Long approved = query.getSpec().evolution().approvedGeneration();
        if (approved != null && approved >= pendingSince) {
          yield reset(
              generation,
              stateOnly ? CheckpointReset.Scope.State : CheckpointReset.Scope.All,
              reasons);
        }
        yield hold(
            query,
            reasons,
            AWAITING_APPROVAL,
            because
                + ". To roll it out with "
                + (stateOnly ? "the state started empty" : "an empty checkpoint")
                + ", set spec.evolution.approvedGeneration to "
                + pendingSince);
      }
      case Reject -> reject(query, reasons);
    };
  }

  /** Holds the generation, whatever the policy. */
  public static ChangeDecision reject(StreamingQuery query, List<String> reasons) {
    return hold(
        query,
        reasons,
        INCOMPATIBLE,
        String.join("; ", reasons)
            + ". Restore the query, or set spec.evolution.onIncompatible (ResetState, ResetAll,"
            + " AwaitApproval) or spec.checkpoint.resetNonce");
  }

  /**
   * The first generation with these reasons: an approval given for it holds for the generation the
   * approval itself creates, and for any later one with the same verdict.
   */
  private static long pendingSince(
      StreamingQueryStatus status, List<String> reasons, long generation) {
    PendingChange pending = status == null ? null : status.pendingChange();
    return pending != null && reasons.equals(pending.reasons()) && pending.generation() != null
        ? pending.generation()
        : generation;
  }

  private static boolean aboutState(String reason) {
    return reason.startsWith("spec.query:") || reason.startsWith("spec.outputMode:");
  }

  private static ChangeDecision reset(
      long generation, CheckpointReset.Scope scope, List<String> reasons) {
    return new ChangeDecision(null, new CheckpointReset(generation, scope, reasons), null, null);
  }

  private static ChangeDecision hold(
      StreamingQuery query, List<String> reasons, String reason, String message) {
    long generation = query.getMetadata().getGeneration();
    PendingChange pending =
        new PendingChange(
            pendingSince(query.getStatus(), reasons, generation),
            VERDICT,
            reasons,
            EvolutionSpec.policy(query.getSpec()).name());
    return new ChangeDecision(pending, null, reason, message);
  }
}
