package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.engine.SourceLag;
import dev.streamloop.engine.StreamingQueryProgress;
import dev.streamloop.engine.StreamingQueryProgress.SourceProgress;
import dev.streamloop.engine.StreamingQueryProgress.StateOperatorProgress;
import dev.streamloop.engine.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's Prometheus series, as docs/metrics.md lists them, from progress. */
class RunnerMetricsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private static StreamingQueryProgress batch(SourceLag kafkaLag, String watermark) {
    return StreamingQueryProgress.of(
        "q",
        "r",
        "clicks",
        "2026-11-23T09:59:58.000Z",
        7,
        1500,
        40,
        null,
        null,
        Map.of("addBatch", 1200L, "walCommit", 100L, "triggerExecution", 1500L),
        watermark == null ? Map.of() : Map.of("watermark", watermark),
        List.of(new StateOperatorProgress("stateStoreSave", 1234, 10, 0, 0, 5000, 3, Map.of())),
        List.of(
            new SourceProgress(
                "KafkaV2[Subscribe[clicks]]",
                null,
                null,
                null,
                30,
                null,
                null,
                Map.of("numBadRecords", "2"),
                kafkaLag),
            new SourceProgress(
                "FileSource[/data/in]",
                null,
                null,
                null,
                10,
                null,
                null,
                Map.of("numBadRecords", "1"),
                new SourceLag(null, 3L, 4096L, null))),
        List.of(new StreamingQueryProgress.SinkProgress("console", 40)),
        null);
  }

  @Test
  void lagWatermarkDelayStateAndBatchPartsAreSeriesAndAgesGrowUntilTheScrape() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    RunnerMetrics metrics = new RunnerMetrics("clicks", new Trigger.ProcessingTime(30_000), clock);
    metrics.onProgress(
        batch(
            new SourceLag(500L, null, null, "2026-11-23T09:59:00.000Z"),
            "2026-11-23T09:58:00.000Z"));
    metrics.onProgress(
        batch(
            new SourceLag(500L, null, null, "2026-11-23T09:59:00.000Z"),
            "2026-11-23T09:58:00.000Z"));

    String scrape = metrics.scrape();
    String kafka = "query=\"clicks\",source=\"KafkaV2[Subscribe[clicks]]\"";
    String file = "query=\"clicks\",source=\"FileSource[/data/in]\"";
    assertThat(scrape)
        .contains("streamloop_source_records_behind{" + kafka + "} 500.0")
        .contains("streamloop_source_oldest_unprocessed_age_seconds{" + kafka + "} 60.0")
        .contains("streamloop_source_files_behind{" + file + "} 3.0")
        .contains("streamloop_source_bytes_behind{" + file + "} 4096.0")
        .contains("streamloop_source_oldest_unprocessed_age_seconds{" + file + "} 0.0")
        .contains("streamloop_bad_records_total{" + kafka + "} 4.0")
        .contains("streamloop_watermark_delay_seconds{query=\"clicks\"} 120.0")
        .contains("streamloop_state_rows{query=\"clicks\"} 1234.0")
        .contains("streamloop_batch_part_seconds_total{part=\"addBatch\",query=\"clicks\"} 2.4")
        .contains("streamloop_last_batch_timestamp_seconds{query=\"clicks\"} 1.795428E9")
        .contains("process_start_time_seconds")
        .contains("streamloop_trigger_interval_seconds{query=\"clicks\"} 30.0")
        .doesNotContain("streamloop_source_files_behind{" + kafka);

    RunnerMetrics later =
        new RunnerMetrics(
            "clicks", new Trigger.BackToBack(0, 1000), Clock.offset(clock, Duration.ofSeconds(30)));
    later.onProgress(batch(new SourceLag(0L, null, null, null), null));
    assertThat(later.scrape())
        .contains("streamloop_source_records_behind{" + kafka + "} 0.0")
        .contains("streamloop_source_oldest_unprocessed_age_seconds{" + kafka + "} 0.0")
        .contains("streamloop_watermark_delay_seconds{query=\"clicks\"} NaN");
  }
}
