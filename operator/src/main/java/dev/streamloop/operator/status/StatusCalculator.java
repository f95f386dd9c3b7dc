package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.PendingChange;
import dev.streamloop.api.v1alpha1.QueryLag;
import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.RestartStatus;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus.Phase;
import dev.streamloop.api.v1alpha1.TriggerSpec;
import dev.streamloop.operator.Observed;
import dev.streamloop.operator.desired.Labels;
import dev.streamloop.operator.desired.RunnerPod;
import dev.streamloop.operator.evolution.ChangeDecision;
import dev.streamloop.operator.schedule.Run;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status the operator owns (phase, trigger, conditions, observedGeneration), computed from the
 * query and what was observed; a pure function. The runner's progress and the run history are
 * carried over from the current status.
 */
public final class StatusCalculator {
  /** The reason while a runner retries an unavailable source or sink. */
  static final String UNAVAILABLE = "SourceOrSinkUnavailable";

  private StatusCalculator() {}

  /**
   * @param errors Why the current generation is invalid (empty when it is valid); the last valid
   *     generation keeps running and {@code activeGeneration} stays where it was.
   */
  public static StreamingQueryStatus compute(
      StreamingQuery query, Observed observed, List<String> errors, String now) {
    return compute(query, observed, "InvalidSpec", errors, null, now);
  }

  /**
   * @param reason Why {@code errors} refuse the generation: InvalidSpec, or IncompatibleChange or
   *     AwaitingApproval when the running checkpoint cannot serve it.
   * @param change The decision on the generation's verdict (null: none taken in this reconcile;
   *     status.pendingChange stays as it was).
   */
  public static StreamingQueryStatus compute(
      StreamingQuery query,
      Observed observed,
      String reason,
      List<String> errors,
      ChangeDecision change,
      String now) {
    StreamingQueryStatus current = query.getStatus();
    long generation = query.getMetadata().getGeneration();
    Conditions conditions =
        new Conditions(current != null ? current.conditions() : null, generation, now);
    Long active = current != null ? current.activeGeneration() : null;
    Optional<RunnerHealth.Problem> problem = RunnerHealth.assess(observed.pods());
    Phase phase;
    if (!errors.isEmpty()) {
      String message =
          "spec generation " + generation + " is invalid: " + String.join("; ", errors);
      if (active != null) {
        message += " (generation " + active + " keeps running; fix the spec to roll out)";
      }
      conditions.set(Conditions.DEGRADED, true, reason, message);
      conditions.set(Conditions.PROGRESSING, false, reason, "fix the spec to continue");
      phase = current != null && current.phase() != null ? current.phase() : Phase.Pending;
      if (active == null) {
        conditions.set(Conditions.READY, false, reason, "no valid spec has run yet");
      } else {
        copy(current, conditions, Conditions.READY);
      }
    } else {
      if (observed.validatingSpec()) {
        // The runners keep the active generation until its successor has passed validation.
        conditions.set(
            Conditions.PROGRESSING,
            true,
            "ValidatingSpec",
            "checking generation "
                + generation
                + " (SQL, output mode) before the runners move to it");
        if (current != null && current.conditions() != null) {
          copy(current, conditions, Conditions.READY);
        }
        problem.ifPresentOrElse(
            p -> conditions.set(Conditions.DEGRADED, true, p.reason(), p.message()),
            () -> conditions.set(Conditions.DEGRADED, false, "AsExpected", ""));
        phase = current != null && current.phase() != null ? current.phase() : Phase.Pending;
      } else {
        active = generation;
        problem.ifPresentOrElse(
            p -> conditions.set(Conditions.DEGRADED, true, p.reason(), p.message()),
            () -> conditions.set(Conditions.DEGRADED, false, "AsExpected", ""));
        phase =
            isAvailableNow(query)
                ? availableNow(query, observed.jobs(), conditions)
                : continuous(query, observed.statefulSet(), observed.restarts(), conditions);
      }
    }
    PendingChange pending =
        change != null ? change.pending() : current != null ? current.pendingChange() : null;
    changePending(current, change, pending, conditions);
    QueryLag lag = null;
    if (!isAvailableNow(query)) {
      Map<String, QueryProgress> progress = current == null ? null : current.progress();
      lag = progress == null ? null : LagCalculator.compute(progress, Instant.parse(now));
      FreshnessConditions.set(query, lag, conditions);
    }
    KstatusConditions.set(conditions, phase, errors.isEmpty() ? null : reason);
    return new StreamingQueryStatus(
        generation,
        active,
        phase,
        triggerText(query.getSpec().trigger()),
        conditions.build(),
        fromProgress(current, QueryProgress::id, StreamingQueryStatus::queryId),
        fromProgress(current, QueryProgress::runId, StreamingQueryStatus::runId),
        current != null ? current.progress() : null,
        observed.runs() != null ? observed.runs() : current != null ? current.runs() : null,
        observed.lastScheduleTime() != null
            ? observed.lastScheduleTime()
            : current != null ? current.lastScheduleTime() : null,
        isAvailableNow(query) && errors.isEmpty()
            ? observed.nextScheduleTime()
            : current != null ? current.nextScheduleTime() : null,
        observed.restarts() != null
            ? observed.restarts().restarts()
            : current != null ? current.restarts() : null,
        pending,
        change != null && change.reset() != null
            ? change.reset()
            : current != null ? current.lastReset() : null,
        lag);
  }

  private static Phase continuous(
      StreamingQuery query,
      StatefulSet sts,
      RunnerRestarts.Decision restarts,
      Conditions conditions) {
    if (restarts != null && restarts.runnersStopped() && !isSuspended(query)) {
      return stopped(restarts, conditions);
    }
    if (isSuspended(query)) {
      int left = sts == null || sts.getStatus() == null ? 0 : value(sts.getStatus().getReplicas());
      // stopped as asked is ready: kstatus (Flux) reads Ready=False as still in progress
      conditions.set(
          Conditions.READY,
          left == 0,
          "Suspended",
          left > 0
              ? "spec.suspend is true: waiting for the runners to stop"
              : "spec.suspend is true: no runner runs, as the spec asks");
      conditions.set(
          Conditions.PROGRESSING,
          left > 0,
          left > 0 ? "StoppingRunners" : "Suspended",
          left > 0 ? left + " runner(s) finishing their batch" : "no runner is running");
      return Phase.Suspended;
    }
    int wanted = RunnerPod.parallelism(query);
    if (sts == null || sts.getStatus() == null) {
      conditions.set(
          Conditions.READY, false, "RunnersNotReady", "0 of " + wanted + " runners ready");
      conditions.set(
          Conditions.PROGRESSING, true, "CreatingRunners", "starting " + wanted + " runner(s)");
      return Phase.Pending;
    }
    var status = sts.getStatus();
    int ready = value(status.getReadyReplicas());
    int updated = value(status.getUpdatedReplicas());
    boolean observedLatest =
        status.getObservedGeneration() != null
            && status.getObservedGeneration() >= value(sts.getMetadata().getGeneration());
    boolean rolledOut =
        observedLatest && updated >= wanted && value(status.getReplicas()) == wanted;
    Optional<String> unavailable = RunnerRetries.reason(query.getStatus());
    if (ready < wanted && unavailable.isPresent()) {
      // a runner waits for a source or sink: say which, and where, instead of a bare count
      conditions.set(
          Conditions.READY,
          false,
          UNAVAILABLE,
          ready + " of " + wanted + " runners ready; " + unavailable.get());
      conditions.set(Conditions.DEGRADED, true, UNAVAILABLE, unavailable.get());
    } else {
      conditions.set(
          Conditions.READY,
          ready >= wanted,
          ready >= wanted ? "RunnersReady" : "RunnersNotReady",
          ready + " of " + wanted + " runners ready");
    }
    conditions.set(
        Conditions.PROGRESSING,
        !(rolledOut && ready >= wanted),
        rolledOut && ready >= wanted ? "RolledOut" : "RollingOut",
        updated
            + " of "
            + wanted
            + " runners on generation "
            + query.getMetadata().getGeneration());
    return ready > 0 ? Phase.Running : Phase.Pending;
  }

  /** The runners failed and are held at zero: backing off, or halted until the spec changes. */
  private static Phase stopped(RunnerRestarts.Decision decision, Conditions conditions) {
    RestartStatus restarts = decision.restarts();
    String failure = restarts.lastFailureMessage();
    if (decision.hold() == RunnerRestarts.Hold.BACKING_OFF) {
      String wait =
          "failure " + restarts.count() + " in a row; restarting at " + restarts.nextRestartTime();
      conditions.set(Conditions.READY, false, "BackingOff", wait);
      conditions.set(Conditions.PROGRESSING, true, "BackingOff", wait);
      conditions.set(Conditions.DEGRADED, true, restarts.lastFailureReason(), failure);
      return Phase.Pending;
    }
    String why =
        switch (restarts.lastFailureReason()) {
          case "InvalidSpec", "CheckpointUnusable" ->
              "the runner refused the query (exit code 2), which is not retried";
          default -> "spec.restartPolicy allows no more restarts";
        };
    String fix =
        "; fix the cause, then edit the spec or change spec.restartNonce to start the runners again";
    conditions.set(Conditions.READY, false, "RunnerFailed", why + fix);
    conditions.set(Conditions.PROGRESSING, false, "RunnerFailed", why);
    conditions.set(
        Conditions.DEGRADED,
        true,
        restarts.lastFailureReason().equals("Error")
                || restarts.lastFailureReason().equals("OOMKilled")
            ? "QueryFailed"
            : "RunnerRejectedSpec",
        failure + " (" + why + ")");
    return Phase.Failed;
  }

  private static boolean isSuspended(StreamingQuery query) {
    return Boolean.TRUE.equals(query.getSpec().suspend());
  }

  private static Phase availableNow(StreamingQuery query, List<Job> jobs, Conditions conditions) {
    boolean scheduled = query.getSpec().trigger().availableNow().schedule() != null;
    boolean active =
        jobs.stream().noneMatch(j -> Run.hasCondition(j, "Failed"))
            && !jobs.stream().allMatch(j -> Run.hasCondition(j, "Complete"));
    if (Boolean.TRUE.equals(query.getSpec().suspend()) && !active) {
      conditions.set(Conditions.READY, true, "Suspended", "spec.suspend is true: no run starts");
      conditions.set(Conditions.PROGRESSING, false, "Suspended", "no run is active");
      return Phase.Suspended;
    }
    if (jobs.isEmpty() && scheduled) {
      conditions.set(Conditions.COMPLETE, false, "NoRunYet", "waiting for the first scheduled run");
      conditions.set(Conditions.FAILED, false, "NoRunYet", "");
      conditions.set(Conditions.READY, true, "WaitingForSchedule", "the first run is scheduled");
      conditions.set(Conditions.PROGRESSING, false, "WaitingForSchedule", "no run is active");
      return Phase.Idle;
    }
    int wanted = jobs.isEmpty() ? RunnerPod.parallelism(query) : jobs.size();
    long failed = jobs.stream().filter(j -> Run.hasCondition(j, "Failed")).count();
    long succeeded = jobs.stream().filter(j -> Run.hasCondition(j, "Complete")).count();
    String run =
        jobs.isEmpty()
            ? "the run of generation " + query.getMetadata().getGeneration()
            : "run " + runLabel(jobs.get(0));
    if (failed > 0) {
      conditions.set(Conditions.COMPLETE, false, "RunFailed", run + " failed");
      conditions.set(
          Conditions.FAILED,
          true,
          "RunFailed",
          run + ": " + failed + " of " + wanted + " runner Job(s) failed");
      conditions.set(Conditions.READY, false, "RunFailed", run + " failed");
      conditions.set(Conditions.PROGRESSING, false, "RunFailed", run + " ended");
      return scheduled ? Phase.Idle : Phase.Failed;
    }
    if (succeeded >= wanted) {
      conditions.set(
          Conditions.COMPLETE, true, "RunSucceeded", run + " processed what was available");
      conditions.set(Conditions.FAILED, false, "RunSucceeded", "");
      conditions.set(Conditions.READY, true, "RunSucceeded", run + " succeeded");
      conditions.set(Conditions.PROGRESSING, false, "RunSucceeded", run + " ended");
      return scheduled ? Phase.Idle : Phase.Succeeded;
    }
    conditions.set(Conditions.COMPLETE, false, "RunInProgress", run + " is running");
    conditions.set(Conditions.FAILED, false, "RunInProgress", "");
    conditions.set(Conditions.READY, false, "RunInProgress", run + " is running");
    conditions.set(
        Conditions.PROGRESSING,
        true,
        "RunInProgress",
        run + ": " + succeeded + " of " + wanted + " runner Job(s) done");
    return jobs.isEmpty() ? Phase.Pending : Phase.Running;
  }

  private static String runLabel(Job job) {
    var labels = job.getMetadata().getLabels();
    return labels == null ? "?" : labels.getOrDefault(Labels.RUN, "?");
  }

  /**
   * ChangePending, for {@code kubectl wait}: True while an edit waits for the policy (its reason
   * IncompatibleChange or AwaitingApproval), False once it rolled out or was withdrawn; absent on a
   * query that never had one.
   */
  private static void changePending(
      StreamingQueryStatus current,
      ChangeDecision change,
      PendingChange pending,
      Conditions conditions) {
    boolean had =
        current != null
            && current.conditions() != null
            && current.conditions().stream()
                .anyMatch(c -> c.type().equals(Conditions.CHANGE_PENDING));
    if (change != null && change.holds()) {
      conditions.set(
          Conditions.CHANGE_PENDING,
          true,
          change.reason(),
          "generation " + pending.generation() + " waits: " + change.message());
    } else if (pending != null) {
      copy(current, conditions, Conditions.CHANGE_PENDING);
    } else if (had) {
      conditions.set(
          Conditions.CHANGE_PENDING,
          false,
          change != null && change.reset() != null ? "RolledOutWithReset" : "NoPendingChange",
          change != null && change.reset() != null
              ? "rolled out with the checkpoint's "
                  + (change.reset().scope() == CheckpointReset.Scope.All ? "data" : "state")
                  + " moved aside"
              : "");
    }
  }

  private static void copy(StreamingQueryStatus current, Conditions conditions, String type) {
    if (current.conditions() == null) {
      return;
    }
    current.conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .ifPresent(
            c ->
                conditions.set(
                    type,
                    c.status() == dev.streamloop.api.v1alpha1.Condition.Status.True,
                    c.reason(),
                    c.message()));
  }

  public static boolean isAvailableNow(StreamingQuery query) {
    return query.getSpec().trigger() != null && query.getSpec().trigger().availableNow() != null;
  }

  static String triggerText(TriggerSpec trigger) {
    if (trigger == null || (trigger.processingTime() == null && trigger.availableNow() == null)) {
      return "ProcessingTime(0)";
    }
    if (trigger.processingTime() != null) {
      return "ProcessingTime(" + trigger.processingTime() + ")";
    }
    return trigger.availableNow().schedule() != null
        ? "AvailableNow(" + trigger.availableNow().schedule() + ")"
        : "AvailableNow";
  }

  private static int value(Integer i) {
    return i == null ? 0 : i;
  }

  private static long value(Long l) {
    return l == null ? 0 : l;
  }

  /**
   * The query id or run id as replica 0 last reported it (the query id is the same for all
   * replicas: it comes from the checkpoint), else what status held.
   */
  private static String fromProgress(
      StreamingQueryStatus current,
      java.util.function.Function<QueryProgress, String> field,
      java.util.function.Function<StreamingQueryStatus, String> recorded) {
    if (current == null) {
      return null;
    }
    QueryProgress first = current.progress() == null ? null : current.progress().get("0");
    String reported = first == null ? null : field.apply(first);
    return reported != null ? reported : recorded.apply(current);
  }
}
