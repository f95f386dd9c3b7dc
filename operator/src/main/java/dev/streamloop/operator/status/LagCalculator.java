package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.QueryLag;
import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.SourceLag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The query's lag from its runners' last progress, a pure function: each source's backlog summed
 * over runners, and the seconds the output lags at {@code now}. With a watermark (any runner
 * reports one past the epoch) the seconds are the time since the lowest watermark, because an open
 * window's rows wait for it; otherwise the age of the oldest input not yet processed, 0 when no
 * source is behind. The backlog is as of each runner's last plan; the seconds grow between reports,
 * as the input ages.
 */
public final class LagCalculator {
  private LagCalculator() {}

  /** Null when no runner has reported a source's lag yet. */
  public static QueryLag compute(Map<String, QueryProgress> progress, Instant now) {
    if (progress == null || progress.isEmpty()) {
      return null;
    }
    List<Summed> sources = new ArrayList<>();
    Instant watermark = null;
    for (QueryProgress runner : progress.values()) {
      List<QueryProgress.SourceProgress> reported =
          runner.sources() == null ? List.of() : runner.sources();
      for (int i = 0; i < reported.size(); i++) {
        if (sources.size() <= i) {
          sources.add(new Summed(reported.get(i).description()));
        }
        sources.get(i).add(reported.get(i).lag());
      }
      Instant mark = watermark(runner);
      if (mark != null && (watermark == null || mark.isBefore(watermark))) {
        watermark = mark;
      }
    }
    if (sources.stream().noneMatch(s -> s.reported)) {
      return null;
    }
    Instant oldest =
        sources.stream()
            .map(s -> s.oldest)
            .filter(java.util.Objects::nonNull)
            .min(Instant::compareTo)
            .orElse(null);
    long seconds =
        watermark != null
            ? secondsSince(watermark, now)
            : oldest == null ? 0 : secondsSince(oldest, now);
    return new QueryLag(
        seconds,
        watermark != null ? QueryLag.Basis.Watermark : QueryLag.Basis.OldestUnprocessedInput,
        total(sources, s -> s.records),
        total(sources, s -> s.files),
        total(sources, s -> s.bytes),
        sources.stream().map(Summed::toStatus).toList());
  }

  private static long secondsSince(Instant then, Instant now) {
    return Math.max(0, Duration.between(then, now).toSeconds());
  }

  private static Instant watermark(QueryProgress runner) {
    String text = runner.eventTime() == null ? null : runner.eventTime().get("watermark");
    if (text == null) {
      return null;
    }
    Instant mark = Instant.parse(text);
    // Spark's watermark is the epoch until the first event: no event time to measure yet
    return mark.toEpochMilli() <= 0 ? null : mark;
  }

  private static Long total(
      Collection<Summed> sources, java.util.function.Function<Summed, Long> f) {
    Long sum = null;
    for (Summed s : sources) {
      Long value = f.apply(s);
      if (value != null) {
        sum = (sum == null ? 0 : sum) + value;
      }
    }
    return sum;
  }

  /** One source over all runners. */
  private static final class Summed {
    final String description;
    boolean reported;
    Long records;
    Long files;
    Long bytes;
    Instant oldest;

    Summed(String description) {
      this.description = description;
    }

    void add(SourceLag lag) {
      if (lag == null) {
        return;
      }
      reported = true;
      records = plus(records, lag.recordsBehind());
      files = plus(files, lag.filesBehind());
      bytes = plus(bytes, lag.bytesBehind());
      if (lag.oldestUnprocessedTime() != null) {
        Instant time = Instant.parse(lag.oldestUnprocessedTime());
        oldest = oldest == null || time.isBefore(oldest) ? time : oldest;
      }
    }

    private static Long plus(Long sum, Long value) {
      if (value == null) {
        return sum;
      }
      return sum == null ? value : Long.valueOf(sum + value);
    }

    QueryLag.Source toStatus() {
      return new QueryLag.Source(
          description, records, files, bytes, oldest == null ? null : oldest.toString());
    }
  }
}
