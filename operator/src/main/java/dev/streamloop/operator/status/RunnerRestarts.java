package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.Durations;
import dev.streamloop.api.v1alpha1.RestartPolicySpec;
import dev.streamloop.api.v1alpha1.RestartStatus;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * spec.restartPolicy for continuous runners, as a pure function of the status and the observed
 * pods. A runner container that ends with a non-zero exit is a failure, counted once (by its finish
 * time, so a restarted operator counts nothing twice); after a failure the runners are held at zero
 * replicas until the backoff (initialBackoff doubled per failure in a row, at most maxBackoff) has
 * passed, and they stay stopped (halted) after an exit code 2, with type Never, or beyond
 * maxRetries, until the spec changes (restartNonce included). The kubelet restarts a container on
 * its own first (a StatefulSet's pods must restart Always); holding the replicas at zero is what
 * makes the policy's backoff and limits hold.
 */
public final class RunnerRestarts {
  /** Failures in a row are forgotten once the runners ran this long past the backoff. */
  static final Duration HEALTHY_RESET = Duration.ofMinutes(10);

  private RunnerRestarts() {}

  /** Whether the runners run, wait out a backoff, or stay stopped. */
  public enum Hold {
    NONE,
    BACKING_OFF,
    HALTED
  }

  /**
   * The restart counters for status and what they mean for the runners.
   *
   * @param restarts status.restarts.
   * @param hold Whether the runners are held at zero replicas.
   */
  public record Decision(RestartStatus restarts, Hold hold) {
    public boolean runnersStopped() {
      return hold != Hold.NONE;
    }
  }

  public static Decision decide(
      StreamingQuery query, List<RunnerFailures.Failure> failures, Instant now) {
    StreamingQueryStatus status = query.getStatus();
    RestartStatus previous = status == null ? null : status.restarts();
    RestartPolicySpec policy = query.getSpec().restartPolicy();
    int count = previous == null || previous.count() == null ? 0 : previous.count();
    long total = previous == null || previous.total() == null ? 0 : previous.total();
    Instant last = instant(previous == null ? null : previous.lastFailureTime());
    String reason = previous == null ? null : previous.lastFailureReason();
    String message = previous == null ? null : previous.lastFailureMessage();
    Instant next = instant(previous == null ? null : previous.nextRestartTime());
    Long generation = query.getMetadata().getGeneration();
    if (status != null
        && status.observedGeneration() != null
        && !status.observedGeneration().equals(generation)) {
      count = 0; // a changed spec (or restartNonce) gives the runners a fresh start
      next = null;
    }
    int fresh = 0;
    for (RunnerFailures.Failure failure : failures) {
      if (last == null || failure.finishedAt().isAfter(last)) {
        fresh++;
        last = failure.finishedAt();
        reason = failure.reason();
        message = truncate(failure.message(), 4096);
      }
    }
    count += fresh;
    total += fresh;
    Hold hold = Hold.NONE;
    if (count > 0 && halts(policy, count, reason)) {
      hold = Hold.HALTED;
      next = null;
    } else if (fresh > 0) {
      next = last.plus(backoff(policy, count));
      hold = now.isBefore(next) ? Hold.BACKING_OFF : Hold.NONE;
    } else if (next != null && now.isBefore(next)) {
      hold = Hold.BACKING_OFF;
    } else {
      next = null;
      if (count > 0
          && last != null
          && !now.isBefore(last.plus(backoff(policy, count)).plus(HEALTHY_RESET))) {
        count = 0;
      }
    }
    RestartStatus restarts =
        count == 0 && total == 0 && last == null
            ? previous
            : new RestartStatus(
                count,
                total,
                last == null ? null : last.toString(),
                reason,
                message,
                next == null ? null : next.toString());
    return new Decision(restarts, hold);
  }

  /**
   * Exit code 2 is never retried; Never stops at the first failure; maxRetries (10 when unset)
   * after that many.
   */
  static boolean halts(RestartPolicySpec policy, int count, String reason) {
    if (RunnerFailures.NOT_RETRYABLE.contains(reason)) {
      return true;
    }
    if (policy != null && policy.type() == RestartPolicySpec.Type.Never) {
      return true;
    }
    int max =
        policy == null || policy.maxRetries() == null
            ? RestartPolicySpec.DEFAULT_MAX_RETRIES
            : policy.maxRetries();
    return count > max;
  }

  /** initialBackoff · 2^(count-1), at most maxBackoff. */
  static Duration backoff(RestartPolicySpec policy, int count) {
    long initial = millis(policy == null ? null : policy.initialBackoff(), 10_000);
    long max = millis(policy == null ? null : policy.maxBackoff(), 300_000);
    long wait = initial;
    for (int i = 1; i < count && wait < max; i++) {
      wait *= 2;
    }
    return Duration.ofMillis(Math.min(wait, max));
  }

  private static long millis(String duration, long fallback) {
    return duration == null ? fallback : Durations.toMillis(duration);
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
