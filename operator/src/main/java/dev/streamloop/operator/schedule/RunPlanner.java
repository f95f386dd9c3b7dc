package dev.streamloop.operator.schedule;

import dev.streamloop.api.v1alpha1.AvailableNowSpec;
import dev.streamloop.api.v1alpha1.AvailableNowSpec.ConcurrencyPolicy;
import dev.streamloop.api.v1alpha1.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, as a pure function of the spec, the existing runs and the time, whether an available-now
 * run starts now, which runs are replaced, which scheduled runs were missed, and when to look
 * again. Without a schedule a query runs once per run key (its generation, restartNonce and the
 * run-now annotation); with one, at each scheduled time, as a Kubernetes CronJob does.
 */
public final class RunPlanner {
  private RunPlanner() {}

  /**
   * What to do.
   *
   * @param start The run to start now, if any.
   * @param replace Active runs to delete first (concurrencyPolicy Replace).
   * @param missed Scheduled runs that did not start, for status.runs.
   * @param lastScheduleTime The last scheduled time that was handled (started or missed).
   * @param nextScheduleTime The next scheduled time, or null.
   * @param recheckAfter When to reconcile again for the schedule, or null.
   */
  public record Plan(
      Optional<NewRun> start,
      List<Run> replace,
      List<RunRecord> missed,
      Instant lastScheduleTime,
      Instant nextScheduleTime,
      Duration recheckAfter) {}

  /** A run to start: its number, key, reason and (scheduled runs) its scheduled time. */
  public record NewRun(long number, String key, String reason, Instant scheduledTime) {}

  /**
   * @param key The run key asked for: without a schedule it changes with the generation,
   *     restartNonce and the run-now annotation; with one, only with run-now (null: none asked).
   * @param keyReason Why the key changed, for a run it starts: SpecChange, RestartNonce, RunNow.
   * @param earliest No scheduled time at or before this runs (the query's creation, or the last
   *     handled scheduled time).
   */
  public static Plan plan(
      String queryName,
      AvailableNowSpec spec,
      List<Run> runs,
      String key,
      String keyReason,
      Instant earliest,
      Instant now) {
    long next = runs.isEmpty() ? 1 : runs.get(runs.size() - 1).number() + 1;
    List<Run> active = runs.stream().filter(Run::active).toList();
    ConcurrencyPolicy policy =
        spec.concurrencyPolicy() == null ? ConcurrencyPolicy.Forbid : spec.concurrencyPolicy();
    boolean keyIsNew = key != null && runs.stream().noneMatch(r -> key.equals(r.key()));

    if (spec.schedule() == null) {
      if (!keyIsNew || (policy == ConcurrencyPolicy.Forbid && !active.isEmpty())) {
        return new Plan(Optional.empty(), List.of(), List.of(), null, null, null);
      }
      return new Plan(
          Optional.of(new NewRun(next, key, keyReason, null)),
          policy == ConcurrencyPolicy.Replace ? active : List.of(),
          List.of(),
          null,
          null,
          null);
    }

    CronSchedule schedule = CronSchedule.parse(spec.schedule(), spec.timeZone());
    Instant upcoming = schedule.next(now).orElse(null);
    Duration recheck = upcoming == null ? null : Duration.between(now, upcoming);
    Instant due =
        schedule
            .last(now)
            .filter(t -> t.isAfter(earliest))
            // started already (a restarted operator, a status write that was lost)
            .filter(t -> runs.stream().noneMatch(r -> scheduledKey(t).equals(r.key())))
            .orElse(null);
    boolean runNow = key != null && keyIsNew;
    if (due == null && !runNow) {
      return new Plan(Optional.empty(), List.of(), List.of(), null, upcoming, recheck);
    }
    List<RunRecord> missed = new ArrayList<>();
    if (due != null) {
      int skipped = 0;
      Instant first = null;
      for (Instant t = schedule.next(earliest).orElse(due);
          t.isBefore(due);
          t = schedule.next(t).orElse(due)) {
        skipped++;
        first = first == null ? t : first;
        if (skipped > 10_000) {
          break; // a schedule every minute for a week is enough to count
        }
      }
      if (skipped > 0) {
        missed.add(
            missed(
                queryName,
                first,
                skipped
                    + " scheduled run(s) from "
                    + first
                    + " were missed while no"
                    + " operator was running; only the latest, due at "
                    + due
                    + ", runs"));
      }
      Long deadline = spec.startingDeadlineSeconds();
      if (deadline != null && Duration.between(due, now).getSeconds() > deadline) {
        missed.add(
            missed(
                queryName,
                due,
                "started "
                    + Duration.between(due, now).getSeconds()
                    + " s after its time, past startingDeadlineSeconds "
                    + deadline
                    + ": skipped"));
        return new Plan(Optional.empty(), List.of(), missed, due, upcoming, recheck);
      }
    }
    if (!active.isEmpty() && policy == ConcurrencyPolicy.Forbid) {
      if (due != null) {
        missed.add(
            missed(
                queryName,
                due,
                "the previous run is still active and concurrencyPolicy is" + " Forbid: skipped"));
      }
      return new Plan(Optional.empty(), List.of(), missed, due, upcoming, recheck);
    }
    return new Plan(
        // A due scheduled run goes first; a pending run-now starts at the next reconcile.
        Optional.of(
            due != null
                ? new NewRun(next, scheduledKey(due), "Schedule", due)
                : new NewRun(next, key, keyReason, null)),
        policy == ConcurrencyPolicy.Replace ? active : List.of(),
        missed,
        due,
        upcoming,
        recheck);
  }

  /** The key of a scheduled run: its time, so a restarted operator does not start it twice. */
  static String scheduledKey(Instant due) {
    return "schedule-" + due.getEpochSecond();
  }

  private static RunRecord missed(String queryName, Instant scheduled, String message) {
    return new RunRecord(
        queryName + "-missed-" + scheduled.getEpochSecond(),
        "Schedule",
        scheduled.toString(),
        null,
        null,
        null,
        null,
        RunRecord.Result.Missed,
        message);
  }
}
