package dev.streamloop.runner;

import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.SourceLag;
import dev.streamloop.engine.StreamingQueryProgress;
import dev.streamloop.engine.Trigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus metrics of the loop (Micrometer), updated from progress; docs/metrics.md lists them.
 * Ages (lag, watermark delay) are computed when Prometheus scrapes, so a runner stuck in a batch
 * shows its input ageing.
 */
final class RunnerMetrics implements ProgressListener {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String query;
  private final Clock clock;
  private final Counter inputRows;
  private final Counter outputRows;
  private final Timer batches;
  private final Counter retries;
  private final AtomicLong lastBatchId = new AtomicLong(-1);
  private final AtomicLong lastBatchMs = new AtomicLong();
  private final AtomicLong lastProgressMs = new AtomicLong();
  private final AtomicLong watermarkMs = new AtomicLong();
  private final AtomicLong stateRows = new AtomicLong();
  private final AtomicLong stateBytes = new AtomicLong();
  private final List<SourceMeters> sources = new ArrayList<>();

  RunnerMetrics(String query, Trigger trigger) {
    this(query, trigger, Clock.systemUTC());
  }

  RunnerMetrics(String query, Trigger trigger, Clock clock) {
    this.query = query;
    this.clock = clock;
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
    gauge("streamloop.batch.id", "The last batch's id", lastBatchId::get);
    gauge(
        "streamloop.last.batch.timestamp.seconds",
        "When the last batch ended (Unix time)",
        () -> lastBatchMs.get() / 1000.0);
    gauge(
        "streamloop.last.progress.timestamp.seconds",
        "When the loop last reported, with or without a batch (Unix time)",
        () -> lastProgressMs.get() / 1000.0);
    gauge(
        "streamloop.watermark.delay.seconds",
        "Time since the event-time watermark (NaN without one)",
        () -> watermarkMs.get() <= 0 ? Double.NaN : ageSeconds(watermarkMs.get()));
    gauge("streamloop.state.rows", "Keys in the state of all stateful operators", stateRows::get);
    gauge(
        "streamloop.state.memory.bytes",
        "Memory the state of all stateful operators uses",
        stateBytes::get);
    double interval = trigger instanceof Trigger.ProcessingTime p ? p.intervalMs() / 1000.0 : 0;
    gauge(
        "streamloop.trigger.interval.seconds",
        "The processingTime trigger's interval (0: back-to-back or available-now)",
        () -> interval);
    new UptimeMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
  }

  private void gauge(String name, String description, java.util.function.DoubleSupplier value) {
    Gauge.builder(name, value::getAsDouble)
        .description(description)
        .tag("query", query)
        .register(registry);
  }

  @Override
  public void onProgress(StreamingQueryProgress progress) {
    long now = clock.millis();
    lastProgressMs.set(now);
    for (int i = 0; i < progress.sources().size(); i++) {
      source(i, progress.sources().get(i).description()).update(progress.sources().get(i));
    }
    String watermark = progress.eventTime().get("watermark");
    if (watermark != null) {
      watermarkMs.set(Instant.parse(watermark).toEpochMilli());
    }
    if (progress.ranBatch()) {
      lastBatchMs.set(now);
      lastBatchId.set(progress.batchId());
      inputRows.increment(progress.numInputRows());
      progress.allSinks().forEach(s -> outputRows.increment(Math.max(0, s.numOutputRows())));
      batches.record(Duration.ofMillis(progress.batchDuration()));
      progress
          .durationMs()
          .forEach(
              (part, ms) ->
                  Counter.builder("streamloop.batch.part.seconds")
                      .description("Time the batches spent in each part (Spark's durationMs keys)")
                      .tag("query", query)
                      .tag("part", part)
                      .register(registry)
                      .increment(ms / 1000.0));
      stateRows.set(progress.stateOperators().stream().mapToLong(s -> s.numRowsTotal()).sum());
      stateBytes.set(progress.stateOperators().stream().mapToLong(s -> s.memoryUsedBytes()).sum());
    }
  }

  private SourceMeters source(int index, String description) {
    while (sources.size() <= index) {
      sources.add(new SourceMeters(description));
    }
    return sources.get(index);
  }

  @Override
  public void onRetry(long batchId, String reason, int attempt, long delayMs) {
    retries.increment();
  }

  private double ageSeconds(long epochMs) {
    return Math.max(0, clock.millis() - epochMs) / 1000.0;
  }

  String scrape() {
    return registry.scrape();
  }

  /** One source's lag and bad records, labelled with its description. */
  private final class SourceMeters {
    private final AtomicReference<SourceLag> lag = new AtomicReference<>();
    private final Counter badRecords;
    private final String description;

    SourceMeters(String description) {
      badRecords =
          Counter.builder("streamloop.bad.records")
              .description("Records that did not parse: dropped or dead-lettered by the policy")
              .tags("query", query, "source", description)
              .register(registry);
      this.description = description;
    }

    /** The lag's gauges, those that apply to the source (a Kafka source has no files). */
    private void register(SourceLag first) {
      if (first.recordsBehind() != null) {
        sourceGauge(
            "streamloop.source.records.behind",
            "Records after the last batch's end (Kafka)",
            SourceLag::recordsBehind);
      }
      if (first.filesBehind() != null) {
        sourceGauge(
            "streamloop.source.files.behind",
            "Files not read yet (file source)",
            SourceLag::filesBehind);
        sourceGauge(
            "streamloop.source.bytes.behind",
            "Bytes of the files not read yet",
            SourceLag::bytesBehind);
      }
      Gauge.builder(
              "streamloop.source.oldest.unprocessed.age.seconds",
              () -> {
                SourceLag now = lag.get();
                return now.oldestUnprocessedTime() == null
                    ? 0
                    : ageSeconds(Instant.parse(now.oldestUnprocessedTime()).toEpochMilli());
              })
          .description("Age of the oldest input not yet processed (0 when none is behind)")
          .tags("query", query, "source", description)
          .register(registry);
    }

    private void sourceGauge(
        String name, String help, java.util.function.Function<SourceLag, Long> field) {
      Gauge.builder(
              name,
              () -> {
                Long value = field.apply(lag.get());
                return value == null ? 0 : value;
              })
          .description(help)
          .tags("query", query, "source", description)
          .register(registry);
    }

    void update(StreamingQueryProgress.SourceProgress progress) {
      if (progress.lag() != null && lag.getAndSet(progress.lag()) == null) {
        register(progress.lag());
      }
      String bad = progress.metrics().get("numBadRecords");
      if (bad != null) {
        badRecords.increment(Long.parseLong(bad));
      }
    }
  }
}
