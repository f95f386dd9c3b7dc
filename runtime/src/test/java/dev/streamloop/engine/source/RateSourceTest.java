package dev.streamloop.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.ManualClock;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.MetadataLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateSourceTest {
  @TempDir Path dir;

  private static List<List<Object>> rows(RateSource source, String start, String end) {
    List<List<Object>> rows = new ArrayList<>();
    source.read(0, start, end).forEachRemaining(r -> rows.add(List.of(r)));
    return rows;
  }

  @Test
  void runnersSharingARateSourceEmitDisjointValuesThatAddUpToTheRate() {
    List<Object> values = new java.util.ArrayList<>();
    for (int replica = 0; replica < 2; replica++) {
      RateSource source =
          RateSource.perBatch(
              "ticks",
              5,
              new ManualClock(0),
              new MetadataLog(dir.resolve("s" + replica)),
              new dev.streamloop.engine.Share(replica, 2));
      rows(source, null, source.planBatch(0, null)).forEach(r -> values.add(r.get(1)));
    }

    assertThat(values).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
  }

  @Test
  void rowsPerBatchIsDeterministic() {
    RateSource source =
        RateSource.perBatch("ticks", 3, new ManualClock(0), new MetadataLog(dir.resolve("s")));

    String first = source.planBatch(0, null);
    String second = source.planBatch(1, first);

    assertThat(rows(source, null, first))
        .containsExactly(List.of(0L, 0L), List.of(0L, 1L), List.of(0L, 2L));
    assertThat(rows(source, first, second))
        .containsExactly(List.of(1_000L, 3L), List.of(1_000L, 4L), List.of(1_000L, 5L));
  }

  @Test
  void eachAvailableNowRunOfRowsPerBatchTakesTheNextBatch() {
    String end = null;
    for (int run = 0; run < 3; run++) {
      // a new runner per run, as a Job starts one, continuing from the committed offset
      RateSource source =
          RateSource.perBatch("ticks", 3, new ManualClock(0), new MetadataLog(dir.resolve("s")));
      source.pinForAvailableNow();
      String planned = source.planBatch(run, end);

      assertThat(planned).as("run %d", run).isEqualTo(Integer.toString(run + 1));
      assertThat(rows(source, end, planned)).extracting(r -> r.get(1)).hasSize(3);
      assertThat(source.planBatch(run + 1, planned)).as("one batch per run").isEqualTo(planned);
      end = planned;
    }
  }

  @Test
  void rowsPerSecondCoversWholeSecondsAndNothingInTheFirst() {
    ManualClock clock = new ManualClock(10_000);
    RateSource source =
        RateSource.perSecond("ticks", 4, 0, clock, new MetadataLog(dir.resolve("s")));

    clock.advance(999);
    assertThat(source.planBatch(0, null)).isNull();
    clock.advance(1_001);
    String end = source.planBatch(0, null);

    assertThat(end).isEqualTo("2");
    assertThat(rows(source, null, end))
        .containsExactly(
            List.of(10_000L, 0L),
            List.of(10_250L, 1L),
            List.of(10_500L, 2L),
            List.of(10_750L, 3L),
            List.of(11_000L, 4L),
            List.of(11_250L, 5L),
            List.of(11_500L, 6L),
            List.of(11_750L, 7L));
  }

  @Test
  void theStartTimeSurvivesARestart() {
    ManualClock clock = new ManualClock(10_000);
    RateSource.perSecond("ticks", 1, 0, clock, new MetadataLog(dir.resolve("s")));
    clock.advance(5_000);

    RateSource restarted =
        RateSource.perSecond("ticks", 1, 0, clock, new MetadataLog(dir.resolve("s")));

    assertThat(restarted.planBatch(0, null)).isEqualTo("5");
  }

  @Test
  void aDamagedStartTimeIsReportedWithItsFile() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("s"));
    java.nio.file.Files.writeString(dir.resolve("s/0"), "12ab");

    assertThatThrownBy(
            () ->
                RateSource.perSecond(
                    "ticks", 1, 0, new ManualClock(0), new MetadataLog(dir.resolve("s"))))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(dir.resolve("s/0").toString());
  }

  @Test
  void rampUpGrowsTheRateUntilItReachesRowsPerSecond() {
    RateSource source =
        RateSource.perSecond("ticks", 10, 4, new ManualClock(0), new MetadataLog(dir.resolve("s")));

    // speed per second: 2, 4, 6, 8, then 10
    assertThat(List.of(1L, 2L, 3L, 4L, 5L, 6L).stream().map(source::valueAt))
        .containsExactly(2L, 6L, 12L, 20L, 30L, 40L);
  }

  @Test
  void aLostStartTimeIsRefusedWhenTheCheckpointHasBatches() throws Exception {
    MetadataLog log = new MetadataLog(dir.resolve("s"));
    RateSource first = RateSource.perSecond("ticks", 10, 0, new ManualClock(1_000), log);
    String end = first.planBatch(0, null);
    Files.delete(log.file(0));

    // a new start time would stall the source for as long as it had run (probe F-22)
    RateSource restarted = RateSource.perSecond("ticks", 10, 0, new ManualClock(60_000), log);
    assertThatThrownBy(() -> restarted.restore(0, end))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("the rate source's start time is lost");
    // and it stays refused: the start time written by the refused start is not kept
    assertThat(log.get(0)).isEmpty();
  }
}
