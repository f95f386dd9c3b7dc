package dev.streamloop.e2e.local;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A StreamingQuery as {@code kubectl get sq -w} prints it (the CRD's printer columns), plus the
 * rows of its last batch, its Ready condition and, while degraded, the reason.
 */
final class StatusLine {
  static final String FORMAT = "%-20s %-10s %-22s %-8s %6s %8s %9s %-6s %s";

  private StatusLine() {}

  static String header() {
    return String.format(
        FORMAT, "NAME", "PHASE", "TRIGGER", "MODE", "BATCH", "ROWS", "INPUT/S", "READY", "AGE");
  }

  /** The line for {@code query} at {@code now}, without the age (for telling changes apart). */
  static String columns(StreamingQuery query) {
    StreamingQueryStatus status = query.getStatus();
    QueryProgress progress =
        status == null || status.progress() == null ? null : status.progress().get("0");
    String mode = query.getSpec().outputMode() == null ? "" : query.getSpec().outputMode().name();
    return String.format(
        Locale.ROOT,
        FORMAT,
        query.getMetadata().getName(),
        status == null || status.phase() == null ? "" : status.phase().name(),
        status == null || status.trigger() == null ? "" : status.trigger(),
        mode.toLowerCase(Locale.ROOT),
        progress == null || progress.batchId() == null ? "" : progress.batchId(),
        progress == null || progress.numInputRows() == null ? "" : progress.numInputRows(),
        progress == null || progress.inputRowsPerSecond() == null
            ? ""
            : String.format(Locale.ROOT, "%.1f", progress.inputRowsPerSecond()),
        condition(status, "Ready"),
        "%s");
  }

  /** The full line: the columns, the age and any degraded reason. */
  static String line(StreamingQuery query, Instant now) {
    String created = query.getMetadata().getCreationTimestamp();
    String age = created == null ? "" : age(Duration.between(Instant.parse(created), now));
    String line = columns(query).replace("%s", age);
    StreamingQueryStatus status = query.getStatus();
    if ("True".equals(condition(status, "Degraded"))) {
      Condition degraded =
          status.conditions().stream().filter(c -> c.type().equals("Degraded")).findFirst().get();
      line += "   Degraded: " + degraded.reason() + ": " + degraded.message();
    }
    return line;
  }

  static String age(Duration age) {
    long s = Math.max(0, age.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    return s / 3600 + "h" + (s % 3600) / 60 + "m";
  }

  private static String condition(StreamingQueryStatus status, String type) {
    if (status == null || status.conditions() == null) {
      return "";
    }
    return status.conditions().stream()
        .filter(c -> c.type().equals(type))
        .map(c -> c.status().name())
        .findFirst()
        .orElse("");
  }
}
