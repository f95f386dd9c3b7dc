package dev.streamloop.operator;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus.Phase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the operator's health and metrics need from its reconciles: which are running since when (a
 * reconcile stuck on a hung API call makes liveness fail), and the queries per phase, as their
 * status says (from the informer cache, so deleted queries drop out). Thread-safe; no Quarkus
 * dependency, so tests use it as is.
 */
public final class ReconcileTracker {
  private final Clock clock;
  private final Map<String, Instant> inFlight = new ConcurrentHashMap<>();
  private volatile Supplier<Stream<StreamingQuery>> queries = Stream::empty;

  public ReconcileTracker(Clock clock) {
    this.clock = clock;
  }

  void started(String query) {
    inFlight.put(query, clock.instant());
  }

  void finished(String query) {
    inFlight.remove(query);
  }

  /** Where the queries are (the operator's informer cache), for the per-phase counts. */
  void watching(Supplier<Stream<StreamingQuery>> queries) {
    this.queries = queries;
  }

  /** The queries in the operator's informer cache, as they are now. */
  Stream<StreamingQuery> queries() {
    return queries.get();
  }

  /** How long the oldest running reconcile has been running. */
  public Optional<Duration> longestRunning() {
    Instant now = clock.instant();
    return inFlight.values().stream().min(Instant::compareTo).map(t -> Duration.between(t, now));
  }

  public Map<Phase, Long> queriesByPhase() {
    Map<Phase, Long> counts = new EnumMap<>(Phase.class);
    for (Phase phase : Phase.values()) {
      counts.put(phase, 0L);
    }
    queries
        .get()
        .map(q -> q.getStatus() == null ? null : q.getStatus().phase())
        .filter(java.util.Objects::nonNull)
        .forEach(p -> counts.merge(p, 1L, Long::sum));
    return counts;
  }
}
