package dev.streamloop.operator.schedule;

import dev.streamloop.api.v1alpha1.RunRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run-history limits (which finished runs' Jobs go) and the bounded list in status.runs. */
public final class RunHistory {
  /** status.runs keeps at most this many lines, newest last. */
  public static final int MAX_RECORDS = 20;

  private RunHistory() {}

  /** Finished runs beyond successfulRunsHistoryLimit / failedRunsHistoryLimit, oldest first. */
  public static List<Run> expired(List<Run> runs, int successfulLimit, int failedLimit) {
    List<Run> expired = new ArrayList<>();
    expired.addAll(oldest(runs.stream().filter(Run::succeeded).toList(), successfulLimit));
    expired.addAll(oldest(runs.stream().filter(Run::failed).toList(), failedLimit));
    expired.sort(Comparator.comparingLong(Run::number));
    return expired;
  }

  private static List<Run> oldest(List<Run> finished, int keep) {
    return finished.size() <= keep ? List.of() : finished.subList(0, finished.size() - keep);
  }

  /**
   * status.runs: the earlier lines (runs whose Jobs are gone keep their last known line), updated
   * from the runs that exist, plus missed runs; the newest {@link #MAX_RECORDS}.
   */
  private static RunRecord withKnownFigures(RunRecord before, RunRecord now) {
    if (now.batches() != null || before.batches() == null) {
      return now;
    }
    return new RunRecord(
        now.name(),
        now.reason(),
        now.scheduledTime(),
        now.startTime(),
        now.completionTime(),
        before.batches(),
        before.numInputRows(),
        now.result(),
        now.message());
  }

  public static List<RunRecord> records(
      List<RunRecord> previous, List<RunRecord> current, List<RunRecord> missed) {
    Map<String, RunRecord> byName = new LinkedHashMap<>();
    if (previous != null) {
      previous.forEach(r -> byName.put(r.name(), r));
    }
    missed.forEach(r -> byName.putIfAbsent(r.name(), r));
    // a run's pods may be gone (pod garbage collection) while its Job stays: keep its figures
    current.forEach(r -> byName.merge(r.name(), r, RunHistory::withKnownFigures));
    List<RunRecord> all = new ArrayList<>(byName.values());
    all.sort(
        Comparator.comparing(
            (RunRecord r) ->
                r.startTime() != null
                    ? r.startTime()
                    : r.scheduledTime() != null ? r.scheduledTime() : ""));
    return all.size() <= MAX_RECORDS
        ? all
        : List.copyOf(all.subList(all.size() - MAX_RECORDS, all.size()));
  }
}
