package dev.streamloop.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.api.v1alpha1.AvailableNowSpec;
import dev.streamloop.api.v1alpha1.AvailableNowSpec.ConcurrencyPolicy;
import dev.streamloop.api.v1alpha1.RunRecord;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunPlannerTest {
  private static final Instant CREATED = Instant.parse("2026-11-23T09:58:00Z");

  @Test
  void withoutAScheduleEachNewRunKeyRunsOnceAndForbidWaitsForTheActiveRun() {
    AvailableNowSpec once = new AvailableNowSpec(null, null, ConcurrencyPolicy.Forbid, null, 3, 1);
    RunPlanner.Plan first = plan(once, List.of(), "g1-n0", "SpecChange", "2026-11-23T10:00:00Z");
    assertThat(first.start()).contains(new RunPlanner.NewRun(1, "g1-n0", "SpecChange", null));
    assertThat(first.recheckAfter()).isNull();

    List<Run> done = Run.of(List.of(job(1, "g1-n0", "Complete")));
    assertThat(plan(once, done, "g1-n0", "SpecChange", "2026-11-23T11:00:00Z").start()).isEmpty();
    assertThat(plan(once, done, "g2-n0", "SpecChange", "2026-11-23T11:00:00Z").start())
        .contains(new RunPlanner.NewRun(2, "g2-n0", "SpecChange", null));

    List<Run> running = Run.of(List.of(job(1, "g1-n0", null)));
    assertThat(plan(once, running, "g2-n0", "SpecChange", "2026-11-23T11:00:00Z").start())
        .isEmpty();
    AvailableNowSpec replace =
        new AvailableNowSpec(null, null, ConcurrencyPolicy.Replace, null, 3, 1);
    RunPlanner.Plan replacing =
        plan(replace, running, "g2-n0", "SpecChange", "2026-11-23T11:00:00Z");
    assertThat(replacing.start()).isPresent();
    assertThat(replacing.replace()).extracting(Run::number).containsExactly(1L);
  }

  @Test
  void aScheduledRunStartsWhenDueOnceAndTheNextTimeIsReported() {
    AvailableNowSpec hourly = scheduled("0 * * * *", null, ConcurrencyPolicy.Forbid, null);
    RunPlanner.Plan early = plan(hourly, List.of(), null, null, "2026-11-23T09:59:00Z", CREATED);
    assertThat(early.start()).isEmpty();
    assertThat(early.nextScheduleTime()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(early.recheckAfter()).isEqualTo(Duration.ofMinutes(1));

    // 10:00 is due (the query was created at 09:58): it runs, with nothing missed.
    RunPlanner.Plan due = plan(hourly, List.of(), null, null, "2026-11-23T10:00:01Z", CREATED);
    assertThat(due.start())
        .map(RunPlanner.NewRun::scheduledTime)
        .contains(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(due.missed()).isEmpty();
    // Handled: with lastScheduleTime at 10:00 nothing more is due until 11:00.
    assertThat(
            plan(hourly, List.of(), null, null, "2026-11-23T10:30:00Z", due.lastScheduleTime())
                .start())
        .isEmpty();
    // The run-now annotation starts a run between scheduled times.
    assertThat(
            plan(
                    hourly,
                    List.of(),
                    "run-now-1",
                    "RunNow",
                    "2026-11-23T10:30:00Z",
                    due.lastScheduleTime())
                .start())
        .contains(new RunPlanner.NewRun(1, "run-now-1", "RunNow", null));
  }

  @Test
  void theLatestDueTimeRunsAndEarlierMissedOnesAreRecorded() {
    AvailableNowSpec hourly = scheduled("0 * * * *", null, ConcurrencyPolicy.Forbid, null);
    RunPlanner.Plan plan =
        plan(
            hourly,
            List.of(),
            null,
            null,
            "2026-11-23T13:20:00Z",
            Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(plan.start())
        .contains(
            new RunPlanner.NewRun(
                1,
                "schedule-" + Instant.parse("2026-11-23T13:00:00Z").getEpochSecond(),
                "Schedule",
                Instant.parse("2026-11-23T13:00:00Z")));
    assertThat(plan.missed())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.result()).isEqualTo(RunRecord.Result.Missed);
              assertThat(m.message()).contains("2 scheduled run(s) from 2026-11-23T11:00:00Z");
            });
    assertThat(plan.lastScheduleTime()).isEqualTo(Instant.parse("2026-11-23T13:00:00Z"));
    assertThat(plan.nextScheduleTime()).isEqualTo(Instant.parse("2026-11-23T14:00:00Z"));
    assertThat(plan.recheckAfter()).isEqualTo(Duration.ofMinutes(40));

    // A restarted operator whose status write was lost does not start 13:00 again.
    List<Run> started = Run.of(List.of(job(1, plan.start().get().key(), null)));
    assertThat(
            plan(
                    hourly,
                    started,
                    null,
                    null,
                    "2026-11-23T13:21:00Z",
                    Instant.parse("2026-11-23T10:00:00Z"))
                .start())
        .isEmpty();
  }

  @Test
  void aRunPastItsStartingDeadlineIsSkippedAndRecorded() {
    AvailableNowSpec strict = scheduled("0 * * * *", null, ConcurrencyPolicy.Forbid, 300L);
    RunPlanner.Plan late =
        plan(
            strict,
            List.of(),
            null,
            null,
            "2026-11-23T11:06:00Z",
            Instant.parse("2026-11-23T10:30:00Z"));
    assertThat(late.start()).isEmpty();
    assertThat(late.missed())
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.message())
                    .contains("360 s after its time", "startingDeadlineSeconds 300"));
    assertThat(late.lastScheduleTime()).isEqualTo(Instant.parse("2026-11-23T11:00:00Z"));
  }

  @Test
  void concurrencyPolicyDecidesWhatADueRunDoesWhileAnotherIsActive() {
    List<Run> active = Run.of(List.of(job(1, "schedule-1", null)));
    Instant earliest = Instant.parse("2026-11-23T10:30:00Z");
    RunPlanner.Plan forbid =
        plan(
            scheduled("0 * * * *", null, ConcurrencyPolicy.Forbid, null),
            active,
            null,
            null,
            "2026-11-23T11:00:30Z",
            earliest);
    assertThat(forbid.start()).isEmpty();
    assertThat(forbid.missed())
        .singleElement()
        .satisfies(m -> assertThat(m.message()).contains("still active"));
    RunPlanner.Plan allow =
        plan(
            scheduled("0 * * * *", null, ConcurrencyPolicy.Allow, null),
            active,
            null,
            null,
            "2026-11-23T11:00:30Z",
            earliest);
    assertThat(allow.start()).map(RunPlanner.NewRun::number).contains(2L);
    assertThat(allow.replace()).isEmpty();
    RunPlanner.Plan replace =
        plan(
            scheduled("0 * * * *", null, ConcurrencyPolicy.Replace, null),
            active,
            null,
            null,
            "2026-11-23T11:00:30Z",
            earliest);
    assertThat(replace.replace()).extracting(Run::number).containsExactly(1L);
  }

  @Test
  void schedulesFollowWallClockTimeInTheirZoneAcrossDaylightSavingChanges() {
    CronSchedule daily = CronSchedule.parse("30 2 * * *", "Europe/Berlin");
    // Spring forward on 2026-03-29: 02:30 does not exist in Berlin that day.
    assertThat(daily.next(Instant.parse("2026-03-28T02:00:00Z")))
        .contains(Instant.parse("2026-03-30T00:30:00Z"));
    // Fall back on 2026-10-25: 02:30 happens twice, the run happens once.
    Instant first = daily.next(Instant.parse("2026-10-24T12:00:00Z")).orElseThrow();
    assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    assertThat(daily.next(first)).contains(Instant.parse("2026-10-26T01:30:00Z"));
    // Nicknames, as Kubernetes CronJobs take them; UTC without a zone.
    assertThat(CronSchedule.parse("@hourly", null).next(Instant.parse("2026-11-23T10:15:00Z")))
        .contains(Instant.parse("2026-11-23T11:00:00Z"));
    assertThat(
            CronSchedule.parse("@daily", "Asia/Tokyo").next(Instant.parse("2026-11-23T10:15:00Z")))
        .contains(Instant.parse("2026-11-23T15:00:00Z"));
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", null))
        .hasMessageContaining("spec.trigger.availableNow.schedule");
    assertThatThrownBy(() -> CronSchedule.parse("0 * * * *", "Mars/Olympus"))
        .hasMessageContaining("spec.trigger.availableNow.timeZone");
  }

  @Test
  void historyLimitsDeleteTheOldestFinishedRunsOnly() {
    List<Run> runs =
        Run.of(
            List.of(
                job(1, "a", "Complete"),
                job(2, "b", "Failed"),
                job(3, "c", "Complete"),
                job(4, "d", "Failed"),
                job(5, "e", "Complete"),
                job(6, "f", null)));
    assertThat(RunHistory.expired(runs, 1, 1)).extracting(Run::number).containsExactly(1L, 2L, 3L);
    assertThat(RunHistory.expired(runs, 0, 0))
        .extracting(Run::number)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  private static AvailableNowSpec scheduled(
      String cron, String zone, ConcurrencyPolicy policy, Long deadline) {
    return new AvailableNowSpec(cron, zone, policy, deadline, 3, 1);
  }

  private static RunPlanner.Plan plan(
      AvailableNowSpec spec, List<Run> runs, String key, String reason, String now) {
    return plan(spec, runs, key, reason, now, CREATED);
  }

  private static RunPlanner.Plan plan(
      AvailableNowSpec spec,
      List<Run> runs,
      String key,
      String reason,
      String now,
      Instant earliest) {
    return RunPlanner.plan("q", spec, runs, key, reason, earliest, Instant.parse(now));
  }

  private static Job job(long run, String key, String condition) {
    return dev.streamloop.operator.TestJobs.job(run, key, condition);
  }
}
