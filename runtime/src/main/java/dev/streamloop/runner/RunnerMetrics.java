package dev.streamloop.runner;

import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.StreamingQueryProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Prometheus metrics of the loop (Micrometer), updated from progress. */
final class RunnerMetrics implements ProgressListener {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter inputRows;
  private final Counter outputRows;
  private final Timer batches;
  private final Counter retries;
  private final AtomicLong lastBatchId = new AtomicLong(-1);

  RunnerMetrics(String query) {
    inputRows = Counter.builder("streamloop.input.rows").tag("query", query).register(registry);
    outputRows = Counter.builder("streamloop.output.rows").tag("query", query).register(registry);
    retries =
        Counter.builder("streamloop.batch.retries")
            .description("Retries of a batch whose source or sink was unavailable")
            .tag("query", query)
            .register(registry);
    batches =
        Timer.builder("streamloop.batch.duration")
            .tag("query", query)
            .publishPercentiles(0.5, 0.95)
            .register(registry);
    registry.gauge(
        "streamloop.batch.id",
        java.util.List.of(io.micrometer.core.instrument.Tag.of("query", query)),
        lastBatchId);
  }

  @Override
  public void onProgress(StreamingQueryProgress progress) {
    if (progress.ranBatch()) {
      lastBatchId.set(progress.batchId());
      inputRows.increment(progress.numInputRows());
      progress.allSinks().forEach(s -> outputRows.increment(Math.max(0, s.numOutputRows())));
      batches.record(Duration.ofMillis(progress.batchDuration()));
    }
  }

  @Override
  public void onRetry(long batchId, String reason, int attempt, long delayMs) {
    retries.increment();
  }

  String scrape() {
    return registry.scrape();
  }
}
