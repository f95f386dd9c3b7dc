package dev.streamloop.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.TestSources.MemorySource;
import dev.streamloop.engine.TestSources.PassThrough;
import dev.streamloop.engine.TestSources.RecordingSink;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.FileCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop's triggers and recovery, in simulated time (Spark's behaviours from the reference). */
class MicroBatchExecutionTest {
  @TempDir Path dir;

  private final MemorySource source = new MemorySource();
  private final RecordingSink sink = new RecordingSink();
  private final PassThrough query = new PassThrough();
  private final List<StreamingQueryProgress> progress = new ArrayList<>();

  private MicroBatchExecution execution(Trigger trigger, ManualClock clock) {
    QueryDefinition definition =
        new QueryDefinition("test", List.of(source), query, List.of(sink), trigger, 100);
    return new MicroBatchExecution(
        definition,
        FileCheckpoint.open(dir),
        clock,
        new ProgressListener() {
          @Override
          public void onProgress(StreamingQueryProgress p) {
            progress.add(p);
          }
        });
  }

  private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode json) {
    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private void add(long... values) {
    for (long v : values) {
      source.values.add(v);
    }
  }

  @Test
  void processingTimeAlignsToTheGridAndFollowsAnOverrunAtOnce() {
    // Spark's ProcessingTimeExecutorSuite "trigger timing": a batch at 2000 taking 1500 ms is
    // followed at 3500 at once, then the grid resumes at 4000.
    ManualClock clock = new ManualClock(2_000);
    MicroBatchExecution execution = execution(new Trigger.ProcessingTime(1_000), clock);
    List<Long> starts = new ArrayList<>();
    sink.onBatch =
        id -> {
          starts.add(clock.millis());
          if (id == 0) {
            clock.advance(1_500);
          }
          if (id < 3) {
            add(id);
          } else {
            execution.stop();
          }
        };
    add(100);

    execution.run();

    assertThat(starts).containsExactly(2_000L, 3_500L, 4_000L, 5_000L);
    assertThat(sink.batchIds).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void theInputRateOfABatchAfterIdleTriggersCountsFromTheLastTrigger() {
    ManualClock clock = new ManualClock(0);
    MicroBatchExecution execution = execution(new Trigger.ProcessingTime(1_000), clock);
    clock.afterWait(
        () -> {
          if (clock.millis() == 3_000) {
            add(10, 11, 12, 13, 14, 15, 16, 17, 18, 19); // arrive after the idle trigger at 2000
          } else if (clock.millis() >= 4_000) {
            execution.stop();
          }
        });
    add(1);

    execution.run();

    StreamingQueryProgress second =
        progress.stream().filter(p -> p.batchId() == 1 && p.numInputRows() > 0).findFirst().get();
    assertThat(second.timestamp()).isEqualTo("1970-01-01T00:00:03.000Z");
    assertThat(second.inputRowsPerSecond()).isEqualTo(10.0); // 10 rows in the second since 2000
  }

  @Test
  void aSpuriousWakeUpDoesNotStartTheNextTriggerEarly() {
    ManualClock clock = new ManualClock(2_000);
    clock.spuriousWakeUps(2);
    MicroBatchExecution execution = execution(new Trigger.ProcessingTime(1_000), clock);
    List<Long> starts = new ArrayList<>();
    sink.onBatch =
        id -> {
          starts.add(clock.millis());
          if (id == 0) {
            add(2);
          } else {
            execution.stop();
          }
        };
    add(1);

    execution.run();

    // woken at 2500 and 2750, the loop waited again until the trigger at 3000
    assertThat(clock.waits()).containsExactly(1_000L, 500L, 250L);
    assertThat(starts).containsExactly(2_000L, 3_000L);
  }

  @Test
  void anUnavailableSinkIsRetriedWithDoublingBackoffAndTheBatchCommitsOnce() throws Exception {
    ManualClock clock = new ManualClock(0);
    MicroBatchExecution execution = execution(new Trigger.AvailableNow(), clock);
    int[] failures = {3};
    sink.onBatch =
        id -> {
          if (failures[0]-- > 0) {
            throw new UnavailableException("database down", null);
          }
        };
    add(1, 2);

    execution.run();

    assertThat(clock.waits()).containsExactly(1_000L, 2_000L, 4_000L);
    assertThat(sink.batchIds).containsExactly(0L);
    assertThat(sink.rows).containsExactly(List.of(1L), List.of(2L));
    assertThat(progress)
        .extracting(StreamingQueryProgress::message)
        .startsWith(
            "Retrying batch 0 in 1000 ms: database down",
            "Retrying batch 0 in 2000 ms: database down",
            "Retrying batch 0 in 4000 ms: database down");
    assertThat(FileCheckpoint.open(dir).latestCommitId()).hasValue(0);
    assertThat(new RetryBackoff(1_000, 30_000).delayMs(10)).isEqualTo(30_000);
  }

  @Test
  void noNewDataRunsNoBatchAndConsumesNoBatchId() {
    // batch 0 at t=0; the triggers at 1000..4000 find nothing; data arrives at 4500
    ManualClock clock = new ManualClock(0);
    List<Long> idleAt = new ArrayList<>();
    MemorySource delayed =
        new MemorySource() {
          @Override
          public synchronized String planBatch(long batchId, String start) {
            if (clock.millis() >= 4_500 && values.size() == 1) {
              values.add(2L);
            } else if (start != null) {
              idleAt.add(clock.millis());
            }
            return super.planBatch(batchId, start);
          }
        };
    delayed.values.add(1L);
    QueryDefinition definition =
        new QueryDefinition(
            "test", List.of(delayed), query, List.of(sink), new Trigger.ProcessingTime(1_000), 100);
    MicroBatchExecution execution =
        new MicroBatchExecution(
            definition, FileCheckpoint.open(dir), clock, new ProgressListener() {});
    sink.onBatch =
        id -> {
          if (id == 1) {
            execution.stop();
          }
        };

    execution.run();

    assertThat(idleAt).containsExactly(1_000L, 2_000L, 3_000L, 4_000L);
    assertThat(sink.batchIds).containsExactly(0L, 1L);
  }

  @Test
  void backToBackBacksOffWhileIdleInsteadOfPollingEvery10Ms() {
    ManualClock clock = new ManualClock(0);
    MicroBatchExecution execution = execution(new Trigger.BackToBack(10, 1_000), clock);
    add(1);
    sink.onBatch = id -> {};
    clock.afterWait(
        () -> {
          if (clock.waits().size() == 10) {
            execution.stop();
          }
        });

    execution.run();

    assertThat(clock.waits().subList(0, 8))
        .containsExactly(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1_000L);
  }

  @Test
  void availableNowHonoursReadLimitsAcrossBatchesThenStops() {
    add(1, 2, 3, 4, 5);
    source.maxRowsPerBatch = 2;
    MicroBatchExecution execution = execution(new Trigger.AvailableNow(), new ManualClock(0));
    sink.onBatch = id -> add(100 + id); // arrives after start: waits for the next run

    execution.run();

    assertThat(sink.batchIds).containsExactly(0L, 1L, 2L);
    assertThat(sink.rows).extracting(r -> r.get(0)).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void anUncommittedBatchIsReRunWithItsLoggedOffsetsAndTimestamp() {
    add(1, 2, 3);
    ManualClock clock = new ManualClock(7_000);
    sink.onBatch =
        id -> {
          throw new IllegalStateException("sink down");
        };
    assertThatThrownBy(() -> execution(new Trigger.AvailableNow(), clock).run())
        .hasMessage("sink down");
    long firstTimestamp = query.timestamps.get(0);

    add(4, 5); // new data after the failure must not join the re-run batch
    clock.advance(60_000);
    sink.onBatch = id -> {};
    execution(new Trigger.AvailableNow(), clock).run();

    assertThat(sink.batchIds).containsExactly(0L, 1L);
    assertThat(sink.rows.subList(0, 3)).extracting(r -> r.get(0)).containsExactly(1L, 2L, 3L);
    assertThat(query.timestamps.get(1)).isEqualTo(firstTimestamp);
    assertThat(sink.rows.subList(3, 5)).extracting(r -> r.get(0)).containsExactly(4L, 5L);
  }

  @Test
  void aCommitLostInACrashAfterTheNextBatchStartedReRunsOnlyThatNextBatch() throws Exception {
    add(1, 2, 3);
    source.maxRowsPerBatch = 1;
    execution(new Trigger.AvailableNow(), new ManualClock(0)).run();
    // commits/ names are not fsynced (FileCheckpoint): a power loss during batch 2 can lose
    // commits/1 as well as the unwritten commits/2, while offsets/2 survives
    Files.delete(dir.resolve("commits/2"));
    Files.delete(dir.resolve("commits/1"));
    sink.batchIds.clear();
    sink.rows.clear();

    execution(new Trigger.AvailableNow(), new ManualClock(0)).run();

    assertThat(sink.batchIds).containsExactly(2L);
    assertThat(sink.rows).extracting(r -> r.get(0)).containsExactly(3L);
    assertThat(dir.resolve("commits/2")).exists();
  }

  @Test
  void aRestartHandsTheRetainedOffsetsToTheSourcesOldestFirst() {
    add(1, 2, 3);
    source.maxRowsPerBatch = 1;
    execution(new Trigger.AvailableNow(), new ManualClock(0)).run();

    execution(new Trigger.AvailableNow(), new ManualClock(0)).run();

    assertThat(source.restored).containsExactly("0:1", "1:2", "2:3");
  }

  @Test
  void aCommittedBatchIsNotRunAgain() {
    add(1, 2);
    execution(new Trigger.AvailableNow(), new ManualClock(0)).run();
    add(3);

    execution(new Trigger.AvailableNow(), new ManualClock(0)).run();

    assertThat(sink.batchIds).containsExactly(0L, 1L);
    assertThat(sink.rows).extracting(r -> r.get(0)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void progressHasSparksFieldsAndRates() throws Exception {
    add(1, 2, 3, 4);
    ManualClock clock = new ManualClock(1_700_000_000_000L);
    sink.onBatch = id -> clock.advance(200);

    execution(new Trigger.AvailableNow(), clock).run();

    StreamingQueryProgress p = progress.get(0);
    assertThat(p.batchId()).isZero();
    assertThat(p.numInputRows()).isEqualTo(4);
    assertThat(p.timestamp()).isEqualTo("2023-11-14T22:13:20.000Z");
    assertThat(p.processedRowsPerSecond()).isEqualTo(20.0);
    // the first trigger has no previous start: Spark divides by an infinite window
    assertThat(p.inputRowsPerSecond()).isEqualTo(0.0);
    assertThat(p.sink().numOutputRows()).isEqualTo(4);

    // as Spark prints it: its field order, durationMs keys sorted, offsets as JSON values, the
    // first batch's start offset present and null, one sink object
    var json = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(p);
    assertThat(fieldNames(json))
        .containsExactly(
            "id",
            "runId",
            "name",
            "timestamp",
            "batchId",
            "batchDuration",
            "numInputRows",
            "inputRowsPerSecond",
            "processedRowsPerSecond",
            "durationMs",
            "sources",
            "sink",
            "message");
    assertThat(fieldNames(json.get("durationMs")))
        .containsExactly(
            "addBatch",
            "commitOffsets",
            "getBatch",
            "latestOffset",
            "queryPlanning",
            "triggerExecution",
            "walCommit");
    var source = json.get("sources").get(0);
    assertThat(source.has("startOffset")).isTrue();
    assertThat(source.get("startOffset").isNull()).isTrue();
    assertThat(source.get("endOffset").isNumber()).isTrue();
    assertThat(source.get("endOffset").asLong()).isEqualTo(4);
    assertThat(json.get("sink").get("numOutputRows").asLong()).isEqualTo(4);
  }

  @Test
  void idleProgressCarriesTheSinkWithNoRowsAndTheLastLatestOffsetTime() {
    add(1);
    ManualClock clock = new ManualClock(0);
    MicroBatchExecution execution = execution(new Trigger.ProcessingTime(1_000), clock);
    sink.onBatch = id -> {};
    clock.afterWait(
        () -> {
          if (progress.size() >= 2) {
            execution.stop();
          }
        });

    execution.run();

    StreamingQueryProgress idle = progress.get(1);
    assertThat(idle.ranBatch()).isFalse();
    assertThat(idle.batchId()).isEqualTo(1);
    assertThat(idle.durationMs()).containsOnlyKeys("latestOffset", "triggerExecution");
    assertThat(idle.sink().numOutputRows()).isZero();
    assertThat(idle.sources().get(0).startOffset().asLong()).isEqualTo(1);
  }

  @Test
  void twoRunnersOnOneCheckpointCannotBothWriteABatch() {
    add(1);
    Checkpoint checkpoint = FileCheckpoint.open(dir);
    checkpoint.writeOffsets(
        0, new dev.streamloop.engine.checkpoint.OffsetSeq(0, 0, java.util.Arrays.asList("1")));
    // the other runner's batch 0 is in the log but uncommitted; it is re-run, not overwritten
    MicroBatchExecution execution = execution(new Trigger.AvailableNow(), new ManualClock(0));
    execution.run();

    assertThat(sink.batchIds).containsExactly(0L);
    assertThat(
            checkpoint.writeOffsets(
                0, new dev.streamloop.engine.checkpoint.OffsetSeq(0, 1, List.of("9"))))
        .isFalse();
  }

  @Test
  void aChangedSourceSetIsRefusedAtStart() {
    add(1);
    execution(new Trigger.AvailableNow(), new ManualClock(0)).run();
    QueryDefinition twoSources =
        new QueryDefinition(
            "test",
            List.of(source, new MemorySource()),
            query,
            List.of(sink),
            new Trigger.AvailableNow(),
            100);

    assertThatThrownBy(
            () ->
                new MicroBatchExecution(
                        twoSources,
                        FileCheckpoint.open(dir),
                        new ManualClock(0),
                        new ProgressListener() {})
                    .run())
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("offsets/0")
        .hasMessageContaining("records 1 source(s), the query has 2");
  }
}
