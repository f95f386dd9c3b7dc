package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus.Phase;

/**
 * Reconciling and Stalled, the two conditions kstatus (sigs.k8s.io/cli-utils, which Flux and kpt
 * use) reads on any resource: Reconciling True means in progress, Stalled True means failed,
 * neither means current once status.observedGeneration has caught up with the spec. Reconciling
 * follows Progressing; Stalled is True when the spec was refused (the last valid generation may
 * still run, but not the one applied), the query failed for good, or the latest available-now run
 * failed (a scheduled query too, until a run succeeds). kstatus also reads Ready when neither is
 * True: Ready=False is in progress, so a query stopped by spec.suspend is Ready.
 */
final class KstatusConditions {
  private KstatusConditions() {}

  /** {@code refusal}: why the spec was refused, null when it was not. */
  static void set(Conditions conditions, Phase phase, String refusal) {
    Condition progressing = conditions.get(Conditions.PROGRESSING);
    if (progressing != null) {
      conditions.set(
          Conditions.RECONCILING,
          progressing.status() == Condition.Status.True,
          progressing.reason(),
          progressing.message());
    }
    Condition degraded = conditions.get(Conditions.DEGRADED);
    Condition failed = conditions.get(Conditions.FAILED);
    if (refusal != null) {
      conditions.set(
          Conditions.STALLED, true, refusal, degraded == null ? refusal : degraded.message());
    } else if (phase == Phase.Failed
        || (failed != null && failed.status() == Condition.Status.True)) {
      Condition why = failed != null ? failed : degraded;
      conditions.set(
          Conditions.STALLED,
          true,
          why == null ? "QueryFailed" : why.reason(),
          why == null ? "the query failed" : why.message());
    } else {
      conditions.set(Conditions.STALLED, false, "AsExpected", "");
    }
  }
}
