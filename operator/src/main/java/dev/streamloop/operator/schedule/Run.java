package dev.streamloop.operator.schedule;

import dev.streamloop.api.v1alpha1.RunRecord;
import dev.streamloop.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One available-now run as the operator sees it: its number, what started it, and its Jobs (one per
 * replica) with their outcome.
 */
public record Run(long number, String key, String reason, String scheduledTime, List<Job> jobs) {
  /** Job annotations that carry a run's identity (labels cannot hold times). */
  public static final String KEY = "streamloop.dev/run-key";

  public static final String REASON = "streamloop.dev/run-reason";
  public static final String SCHEDULED_TIME = "streamloop.dev/scheduled-time";

  /** Groups Jobs into runs by their run label, oldest run first. */
  public static List<Run> of(List<Job> jobs) {
    Map<Long, List<Job>> byRun = new TreeMap<>();
    for (Job job : jobs) {
      String run =
          job.getMetadata().getLabels() == null
              ? null
              : job.getMetadata().getLabels().get(Labels.RUN);
      if (run != null && run.matches("\\d+")) {
        byRun.computeIfAbsent(Long.parseLong(run), n -> new ArrayList<>()).add(job);
      }
    }
    List<Run> runs = new ArrayList<>();
    byRun.forEach(
        (n, list) -> {
          list.sort(Comparator.comparing(j -> j.getMetadata().getName()));
          Map<String, String> a = list.get(0).getMetadata().getAnnotations();
          a = a == null ? Map.of() : a;
          runs.add(new Run(n, a.get(KEY), a.get(REASON), a.get(SCHEDULED_TIME), List.copyOf(list)));
        });
    return runs;
  }

  public boolean failed() {
    return jobs.stream().anyMatch(j -> hasCondition(j, "Failed"));
  }

  public boolean succeeded() {
    return !failed() && jobs.stream().allMatch(j -> hasCondition(j, "Complete"));
  }

  public boolean active() {
    return !failed() && !succeeded();
  }

  public RunRecord.Result result() {
    return failed()
        ? RunRecord.Result.Failed
        : succeeded() ? RunRecord.Result.Succeeded : RunRecord.Result.Running;
  }

  /** The run's line in status.runs, with its figures from the runner pods among {@code pods}. */
  public RunRecord record(String queryName, List<io.fabric8.kubernetes.api.model.Pod> pods) {
    String start =
        jobs.stream()
            .map(
                j ->
                    j.getStatus() != null && j.getStatus().getStartTime() != null
                        ? j.getStatus().getStartTime()
                        : j.getMetadata().getCreationTimestamp())
            .filter(java.util.Objects::nonNull)
            .min(String::compareTo)
            .orElse(null);
    String end =
        active()
            ? null
            : jobs.stream()
                .map(j -> j.getStatus() == null ? null : j.getStatus().getCompletionTime())
                .filter(java.util.Objects::nonNull)
                .max(String::compareTo)
                .orElse(null);
    String message =
        failed()
            ? jobs.stream()
                .filter(j -> hasCondition(j, "Failed"))
                .flatMap(j -> j.getStatus().getConditions().stream())
                .filter(c -> "Failed".equals(c.getType()))
                .map(c -> c.getReason() + ": " + c.getMessage())
                .findFirst()
                .orElse(null)
            : null;
    Optional<RunFigures> figures = RunFigures.of(jobs, pods);
    return new RunRecord(
        name(queryName, number),
        reason,
        scheduledTime,
        start,
        end,
        figures.map(RunFigures::batches).orElse(null),
        figures.map(RunFigures::numInputRows).orElse(null),
        result(),
        message);
  }

  public static String name(String queryName, long number) {
    return queryName + "-run-" + number;
  }

  /** Whether the Job has condition {@code type} (Complete, Failed) with status True. */
  public static boolean hasCondition(Job job, String type) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
