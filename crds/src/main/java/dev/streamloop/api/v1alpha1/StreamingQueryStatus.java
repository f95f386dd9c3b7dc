package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * The observed state of the query. The operator writes everything but progress; each runner
 * merge-patches only its own entry of progress.
 *
 * @param observedGeneration The spec generation the operator last processed (validated and acted
 *     on, or refused).
 * @param activeGeneration The spec generation the runners run now. It lags behind
 *     observedGeneration while a change rolls out, and stays when a change is refused: an invalid
 *     spec never stops the last valid runners.
 * @param phase A one-word summary: Pending, Running, Idle (available-now, between runs), Succeeded
 *     (available-now without a schedule, last run completed), Failed or Suspended. Conditions hold
 *     the details.
 * @param trigger The trigger in words, for kubectl get: Default, ProcessingTime(30s), AvailableNow
 *     or AvailableNow(0 * * * *).
 * @param conditions Ready, Progressing and Degraded; Reconciling and Stalled as kstatus reads them;
 *     CaughtUp, and Fresh with spec.freshness, for continuous queries; Complete and Failed (as a
 *     Job's) for available-now queries; each with the generation it was computed for.
 * @param queryId The query's id, from its checkpoint: stable across restarts and runs.
 * @param runId The id of the runners' current start; new at every restart.
 * @param progress The last batch of each runner, keyed by replica index ("0", "1", ...), with
 *     Spark's StreamingQueryProgress field names.
 * @param runs Available-now runs in the order they started (or were due), newest last: the last 20,
 *     skipped and missed runs included; a run keeps its line after its Job is deleted by the
 *     history limits.
 * @param lastScheduleTime When the last scheduled run was started (RFC 3339).
 * @param nextScheduleTime When the next scheduled run is due (RFC 3339).
 * @param restarts Failures of the runners and the operator's restarts of them.
 * @param pendingChange The edit that waits because the running checkpoint cannot serve it (see
 *     spec.evolution); absent when the spec runs or rolls out.
 * @param lastReset The last checkpoint reset an incompatible edit rolled out with.
 * @param lag How far the query is behind its input, summed over runners (continuous queries).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamingQueryStatus(
    Long observedGeneration,
    Long activeGeneration,
    Phase phase,
    @Size(max = 256) String trigger,
    @Size(max = 16) List<Condition> conditions,
    @Size(max = 64) String queryId,
    @Size(max = 64) String runId,
    Map<String, QueryProgress> progress,
    @Size(max = 202) List<RunRecord> runs,
    String lastScheduleTime,
    String nextScheduleTime,
    RestartStatus restarts,
    PendingChange pendingChange,
    CheckpointReset lastReset,
    QueryLag lag) {

  /** The summary states of a query. */
  public enum Phase {
    Pending,
    Running,
    Idle,
    Succeeded,
    Failed,
    Suspended
  }
}
