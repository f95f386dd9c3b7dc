package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import java.util.Map;

/** Statuses for tests: what the runners' progress patches make of one. */
final class TestStatuses {
  private TestStatuses() {}

  /** {@code status} with {@code progress} as the runners' entries (the rest as it was). */
  static StreamingQueryStatus withProgress(
      StreamingQueryStatus status, Map<String, QueryProgress> progress) {
    return new StreamingQueryStatus(
        status.observedGeneration(),
        status.activeGeneration(),
        status.phase(),
        status.trigger(),
        status.conditions(),
        status.queryId(),
        status.runId(),
        progress,
        status.runs(),
        status.lastScheduleTime(),
        status.nextScheduleTime(),
        status.restarts(),
        status.pendingChange(),
        status.lastReset(),
        status.lag());
  }
}
