package dev.streamloop.operator.evolution;

import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.PendingChange;

/**
 * What the operator does with a generation the running checkpoint has been compared with.
 *
 * @param pending Set when the generation waits (status.pendingChange); null when it rolls out.
 * @param reset The checkpoint reset it rolls out with (null: none).
 * @param reason With {@code pending}: the condition reason (IncompatibleChange, AwaitingApproval).
 * @param message With {@code pending}: what is incompatible and how to go on.
 */
public record ChangeDecision(
    PendingChange pending, CheckpointReset reset, String reason, String message) {
  /** Rolls out from the checkpoint as it is. */
  public static final ChangeDecision ROLL_OUT = new ChangeDecision(null, null, null, null);

  public boolean holds() {
    return pending != null;
  }
}
