package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/**
 * What happens to an edit the running checkpoint cannot serve (a StateIncompatible verdict: another
 * aggregation, other sources, another parallelism over partitioned input). Compatible edits roll
 * out from the checkpoint whatever this says.
 *
 * @param onIncompatible Reject (default) keeps the running generation and reports the verdict in
 *     status.pendingChange; AwaitApproval does the same until approvedGeneration reaches the
 *     pending generation, then rolls out with the smallest reset the verdict needs; ResetState
 *     rolls out at once, keeping the sources' offsets and starting the state empty (only when
 *     sources and parallelism are compatible); ResetAll rolls out at once from an empty checkpoint.
 *     A reset moves the old data aside on the volume, never deletes it.
 * @param approvedGeneration With AwaitApproval: the pending generation
 *     (status.pendingChange.generation) the user approves. Setting it makes a new generation; the
 *     approval holds for it while its verdict has the same reasons.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvolutionSpec(
    @Default("Reject") OnIncompatible onIncompatible, @Min(1) Long approvedGeneration) {

  /** The policies for an incompatible edit. */
  public enum OnIncompatible {
    Reject,
    AwaitApproval,
    ResetState,
    ResetAll
  }

  /** The policy of {@code spec}: Reject when unset. */
  public static OnIncompatible policy(StreamingQuerySpec spec) {
    return spec.evolution() == null || spec.evolution().onIncompatible() == null
        ? OnIncompatible.Reject
        : spec.evolution().onIncompatible();
  }
}
