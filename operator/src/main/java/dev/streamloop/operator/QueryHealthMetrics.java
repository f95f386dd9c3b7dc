package dev.streamloop.operator;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.Durations;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A few series per query, read from the queries' status in the informer cache when Prometheus
 * scrapes: nothing is kept per query between scrapes, and a deleted query's series are gone at the
 * next one. (JOSDK's per-resource meters, a dozen timers and counters per query, are left off: with
 * 1,000 queries they filled the operator's heap.) The alert rules in manifests/monitoring use them.
 */
final class QueryHealthMetrics extends Collector {
  private static final List<String> LABELS = List.of("namespace", "query");
  private final Supplier<Stream<StreamingQuery>> queries;

  QueryHealthMetrics(Supplier<Stream<StreamingQuery>> queries) {
    this.queries = queries;
  }

  @Override
  public List<MetricFamilySamples> collect() {
    GaugeMetricFamily lag =
        new GaugeMetricFamily(
            "streamloop_query_lag_seconds",
            "status.lag.seconds: how old the query's output may be",
            LABELS);
    GaugeMetricFamily maxLag =
        new GaugeMetricFamily(
            "streamloop_query_max_lag_seconds", "spec.freshness.maxLag, where set", LABELS);
    GaugeMetricFamily behind =
        new GaugeMetricFamily(
            "streamloop_query_records_behind",
            "status.lag.recordsBehind: Kafka records not read yet, over all runners",
            LABELS);
    GaugeMetricFamily ready =
        new GaugeMetricFamily(
            "streamloop_query_ready", "1 when the Ready condition is True", LABELS);
    GaugeMetricFamily fresh =
        new GaugeMetricFamily(
            "streamloop_query_fresh", "1 when the Fresh condition is True (with maxLag)", LABELS);
    CounterMetricFamily restarts =
        new CounterMetricFamily(
            "streamloop_query_runner_failures",
            "status.restarts.total: runner failures since the query was created",
            LABELS);
    queries
        .get()
        .forEach(
            q -> {
              List<String> labels =
                  List.of(q.getMetadata().getNamespace(), q.getMetadata().getName());
              StreamingQueryStatus status = q.getStatus();
              if (q.getSpec().freshness() != null) {
                maxLag.addMetric(
                    labels, Durations.toMillis(q.getSpec().freshness().maxLag()) / 1000.0);
              }
              if (status == null) {
                return;
              }
              if (status.lag() != null && status.lag().seconds() != null) {
                lag.addMetric(labels, status.lag().seconds());
              }
              if (status.lag() != null && status.lag().recordsBehind() != null) {
                behind.addMetric(labels, status.lag().recordsBehind());
              }
              condition(status, "Ready", ready, labels);
              condition(status, "Fresh", fresh, labels);
              long failures =
                  status.restarts() == null || status.restarts().total() == null
                      ? 0
                      : status.restarts().total();
              restarts.addMetric(labels, failures);
            });
    return List.of(lag, maxLag, behind, ready, fresh, restarts);
  }

  private static void condition(
      StreamingQueryStatus status, String type, GaugeMetricFamily family, List<String> labels) {
    if (status.conditions() == null) {
      return;
    }
    status.conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .ifPresent(c -> family.addMetric(labels, c.status() == Condition.Status.True ? 1 : 0));
  }
}
