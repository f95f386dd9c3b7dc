package dev.streamloop.operator;

import dev.streamloop.api.v1alpha1.RunRecord;
import dev.streamloop.operator.status.RunnerRestarts;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/**
 * What exists of a query's runners when a reconcile starts (and after it acted).
 *
 * @param statefulSet The runners of a continuous query, or null.
 * @param jobs The Jobs of the latest available-now run.
 * @param pods The runner pods (of the StatefulSet or of the Jobs).
 * @param runs status.runs for an available-now query (null: keep what status has).
 * @param lastScheduleTime status.lastScheduleTime (null: keep).
 * @param nextScheduleTime status.nextScheduleTime.
 * @param validatingSpec True while the new generation's validation Job runs (the runners are not
 *     replaced yet).
 * @param restarts The restart policy's verdict on the runners' failures (null: none taken).
 */
public record Observed(
    StatefulSet statefulSet,
    List<Job> jobs,
    List<Pod> pods,
    List<RunRecord> runs,
    String lastScheduleTime,
    String nextScheduleTime,
    boolean validatingSpec,
    RunnerRestarts.Decision restarts) {
  public Observed(StatefulSet statefulSet, List<Job> jobs, List<Pod> pods) {
    this(statefulSet, jobs, pods, null, null, null, false, null);
  }

  public Observed withStatefulSet(StatefulSet sts) {
    return new Observed(sts, jobs, pods, runs, lastScheduleTime, nextScheduleTime, false, restarts);
  }

  public Observed validating() {
    return new Observed(
        statefulSet, jobs, pods, runs, lastScheduleTime, nextScheduleTime, true, restarts);
  }

  public Observed withRestarts(RunnerRestarts.Decision decision) {
    return new Observed(
        statefulSet,
        jobs,
        pods,
        runs,
        lastScheduleTime,
        nextScheduleTime,
        validatingSpec,
        decision);
  }

  public Observed withRuns(AvailableNowRuns.Outcome outcome) {
    return new Observed(
        statefulSet,
        outcome.latest(),
        pods,
        outcome.runs(),
        outcome.lastScheduleTime(),
        outcome.nextScheduleTime(),
        false,
        restarts);
  }
}
