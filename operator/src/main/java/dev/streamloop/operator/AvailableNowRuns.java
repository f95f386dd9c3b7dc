package dev.streamloop.operator;

import dev.streamloop.api.v1alpha1.AvailableNowSpec;
import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.RunRecord;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.operator.desired.CheckpointClaims;
import dev.streamloop.operator.desired.RunnerJob;
import dev.streamloop.operator.schedule.Run;
import dev.streamloop.operator.schedule.RunHistory;
import dev.streamloop.operator.schedule.RunPlanner;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out the run plan of an available-now query: deletes replaced and expired runs, starts a
 * run, and returns what the status needs (the latest run's Jobs, the run history, schedule times).
 */
final class AvailableNowRuns {
  /** Annotation on the query that asks for a run now; any new value starts one. */
  static final String RUN_NOW = "streamloop.dev/run-now";

  /**
   * What the status needs.
   *
   * @param latest The Jobs of the latest run (empty before the first).
   * @param runs status.runs.
   * @param recheckAfter When to reconcile again for the schedule, or null.
   */
  record Outcome(
      List<Job> latest,
      List<RunRecord> runs,
      String lastScheduleTime,
      String nextScheduleTime,
      Duration recheckAfter) {}

  private AvailableNowRuns() {}

  static Outcome reconcile(
      KubernetesClient client,
      ChildWriter writer,
      StreamingQuery query,
      String image,
      List<Job> jobs,
      List<Pod> pods,
      Instant now,
      CheckpointReset reset) {
    String name = query.getMetadata().getName();
    AvailableNowSpec spec = query.getSpec().trigger().availableNow();
    List<Run> runs = new ArrayList<>(Run.of(jobs));
    String runNow =
        query.getMetadata().getAnnotations() == null
            ? null
            : query.getMetadata().getAnnotations().get(RUN_NOW);
    String key;
    String reason;
    if (spec.schedule() == null) {
      String base =
          "g" + query.getMetadata().getGeneration() + "-n" + query.getSpec().restartNonce();
      key = base + (runNow == null ? "" : "-r" + runNow);
      String latestKey = runs.isEmpty() ? null : runs.get(runs.size() - 1).key();
      reason =
          latestKey == null
              ? "SpecChange"
              : latestKey.startsWith(base)
                  ? "RunNow"
                  : latestKey.startsWith("g" + query.getMetadata().getGeneration() + "-")
                      ? "RestartNonce"
                      : "SpecChange";
    } else {
      key = runNow == null ? null : "run-now-" + runNow;
      reason = "RunNow";
    }
    var status = query.getStatus();
    Instant earliest =
        Instant.parse(
            query.getMetadata().getCreationTimestamp() != null
                ? query.getMetadata().getCreationTimestamp()
                : now.toString());
    if (status != null && status.lastScheduleTime() != null) {
      Instant last = Instant.parse(status.lastScheduleTime());
      earliest = last.isAfter(earliest) ? last : earliest;
    }
    // Suspended: no new run and no schedule (as a suspended CronJob); an active run finishes.
    RunPlanner.Plan plan =
        Boolean.TRUE.equals(query.getSpec().suspend())
            ? new RunPlanner.Plan(
                java.util.Optional.empty(), List.of(), List.of(), null, null, null)
            : RunPlanner.plan(name, spec, runs, key, reason, earliest, now);

    for (Run replaced : plan.replace()) {
      delete(client, replaced);
      runs.remove(replaced);
    }
    List<Job> latest = runs.isEmpty() ? List.of() : runs.get(runs.size() - 1).jobs();
    if (plan.start().isPresent()) {
      RunPlanner.NewRun run = plan.start().get();
      CheckpointClaims.build(query).forEach(writer::createIfAbsent);
      Map<String, String> annotations = new LinkedHashMap<>();
      annotations.put(Run.KEY, run.key());
      annotations.put(Run.REASON, run.reason());
      if (run.scheduledTime() != null) {
        annotations.put(Run.SCHEDULED_TIME, run.scheduledTime().toString());
      }
      List<Job> started = new ArrayList<>();
      for (Job job : RunnerJob.build(query, image, run.number(), annotations, reset)) {
        started.add(writer.createIfAbsent(job));
      }
      latest = started;
      runs.add(Run.of(started).get(0));
    }
    int successful =
        spec.successfulRunsHistoryLimit() == null ? 3 : spec.successfulRunsHistoryLimit();
    int failed = spec.failedRunsHistoryLimit() == null ? 1 : spec.failedRunsHistoryLimit();
    // never the latest run: its outcome is the query's
    List<Run> expired =
        runs.isEmpty()
            ? List.of()
            : RunHistory.expired(runs.subList(0, runs.size() - 1), successful, failed);
    expired.forEach(r -> delete(client, r));
    List<RunRecord> current = runs.stream().map(r -> r.record(name, pods)).toList();
    List<RunRecord> records =
        RunHistory.records(status == null ? null : status.runs(), current, plan.missed());
    String last =
        plan.lastScheduleTime() != null
            ? plan.lastScheduleTime().toString()
            : status == null ? null : status.lastScheduleTime();
    String next = plan.nextScheduleTime() == null ? null : plan.nextScheduleTime().toString();
    return new Outcome(latest, records, last, next, plan.recheckAfter());
  }

  private static void delete(KubernetesClient client, Run run) {
    for (Job job : run.jobs()) {
      // Background: the Job's pods go too (the test API server has no garbage collector, but a
      // Job's pods are the local cluster's concern, see e2e/).
      client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
  }
}
