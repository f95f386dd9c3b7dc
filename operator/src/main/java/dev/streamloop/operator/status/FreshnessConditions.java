package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.Durations;
import dev.streamloop.api.v1alpha1.QueryLag;
import dev.streamloop.api.v1alpha1.StreamingQuery;

/**
 * CaughtUp and Fresh, for continuous queries: CaughtUp is True when the runners are ready, no
 * source has a backlog and the lag is within spec.freshness.maxLag (when set), so that a pipeline
 * can {@code kubectl wait --for=condition=CaughtUp}; Fresh, only with spec.freshness, is True when
 * the lag is within maxLag. A query whose runners are not ready is neither: input may be arriving
 * that nobody measures.
 */
final class FreshnessConditions {
  static final String LAG_ABOVE_MAX = "LagAboveMaxLag";

  private FreshnessConditions() {}

  static void set(StreamingQuery query, QueryLag lag, Conditions conditions) {
    Long maxLagMs =
        query.getSpec().freshness() == null
            ? null
            : Durations.toMillis(query.getSpec().freshness().maxLag());
    Unmeasured unmeasured = unmeasured(query, lag, conditions);
    if (unmeasured != null) {
      conditions.set(Conditions.CAUGHT_UP, false, unmeasured.reason(), unmeasured.message());
      if (maxLagMs != null) {
        conditions.set(Conditions.FRESH, false, unmeasured.reason(), unmeasured.message());
      }
      return;
    }
    String measured = describe(lag);
    boolean within = maxLagMs == null || lag.seconds() * 1000 <= maxLagMs;
    String versus =
        maxLagMs == null
            ? ""
            : (within ? ", within maxLag " : ", above maxLag ")
                + query.getSpec().freshness().maxLag();
    if (maxLagMs != null) {
      conditions.set(
          Conditions.FRESH, within, within ? "WithinMaxLag" : LAG_ABOVE_MAX, measured + versus);
    }
    String backlog = backlog(lag);
    if (backlog != null) {
      conditions.set(Conditions.CAUGHT_UP, false, "Backlog", backlog + " not read yet");
    } else {
      conditions.set(
          Conditions.CAUGHT_UP,
          within,
          within ? "BacklogRead" : LAG_ABOVE_MAX,
          "no backlog; " + measured + versus);
    }
  }

  /** Why the lag cannot be judged now. */
  private record Unmeasured(String reason, String message) {}

  /** Why the lag cannot be judged now, or null when it can. */
  private static Unmeasured unmeasured(StreamingQuery query, QueryLag lag, Conditions conditions) {
    if (Boolean.TRUE.equals(query.getSpec().suspend())) {
      return new Unmeasured("Suspended", "spec.suspend is true: nothing is read");
    }
    if (conditions.status(Conditions.READY) != Condition.Status.True) {
      return new Unmeasured(
          "RunnersNotReady", "the runners are not ready, so the input is not being read");
    }
    if (lag == null) {
      return new Unmeasured("NoProgressYet", "no runner has reported a batch yet");
    }
    return null;
  }

  private static String describe(QueryLag lag) {
    return "lag "
        + lag.seconds()
        + "s ("
        + (lag.basis() == QueryLag.Basis.Watermark
            ? "time since the watermark"
            : "age of the oldest unprocessed input")
        + ")";
  }

  private static String backlog(QueryLag lag) {
    StringBuilder text = new StringBuilder();
    if (lag.recordsBehind() != null && lag.recordsBehind() > 0) {
      text.append(lag.recordsBehind()).append(" record(s)");
    }
    if (lag.filesBehind() != null && lag.filesBehind() > 0) {
      text.append(text.isEmpty() ? "" : " and ")
          .append(lag.filesBehind())
          .append(" file(s) (")
          .append(lag.bytesBehind())
          .append(" bytes)");
    }
    return text.isEmpty() ? null : text.toString();
  }
}
