package dev.streamloop.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.WindowedAggregationTest.Events;
import dev.streamloop.engine.checkpoint.FileCheckpoint;
import dev.streamloop.engine.sql.QueryCompiler;
import dev.streamloop.engine.sql.TableDefinition;
import dev.streamloop.engine.state.StateStoreSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's dropDuplicates and dropDuplicatesWithinWatermark written as ROW_NUMBER() ... = 1, through
 * the loop with a real checkpoint. The expected rows are what Spark 4.0.4 gave for the same rows
 * split into the same batches (dropDuplicatesWithinWatermark("k") / dropDuplicates("k", "ts") with
 * a 10-second watermark), v standing for Spark's key column k.
 */
class DeduplicationTest {
  private static final long S = 1000;
  private static final long DELAY_S = 10;

  @TempDir Path dir;

  private final List<List<Object>> output = new ArrayList<>();
  private final List<List<List<Object>>> batches = new ArrayList<>();
  private final List<StreamingQueryProgress> progress = new ArrayList<>();

  private final Sink sink =
      new Sink() {
        @Override
        public String description() {
          return "test";
        }

        @Override
        public long addBatch(long batchId, List<Column> columns, Iterable<Object[]> rows) {
          List<List<Object>> batch = new ArrayList<>();
          for (Object[] row : rows) {
            batch.add(List.of(row));
          }
          output.addAll(batch);
          batches.add(batch);
          return batch.size();
        }
      };

  private static final String WITHIN_WATERMARK =
      "SELECT ts, v FROM (SELECT ts, v, ROW_NUMBER() OVER (PARTITION BY v ORDER BY ts) AS rn"
          + " FROM events) WHERE rn = 1";

  private static final String WITH_EVENT_TIME_KEY =
      "SELECT ts, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY v, ts ORDER BY ts) AS rn"
          + " FROM events) t WHERE rn = 1";

  /** The batches of the Spark run: (seconds, key) pairs, three rows each. */
  private static Events sparksBatches() {
    Events events = new Events("events");
    events.perBatch = 3;
    row(events, 1, 1, 2, 1, 3, 2);
    row(events, 30, 1, 1, 1, 31, 3);
    row(events, 90, 1, 2, 4, 31, 3);
    row(events, 95, 1, 21, 6, 22, 7);
    return events;
  }

  private static void row(Events events, long... secondsAndKeys) {
    for (int i = 0; i < secondsAndKeys.length; i += 2) {
      events.rows.add(new Object[] {secondsAndKeys[i] * S, secondsAndKeys[i + 1]});
    }
  }

  private static List<Object> r(long seconds, long key) {
    return List.of(seconds * S, key);
  }

  @Test
  void withinTheWatermarkAKeyPassesOnceUntilTheWatermarkPassesItsFirstTimePlusTheDelay()
      throws Exception {
    run(WITHIN_WATERMARK, OutputMode.APPEND, sparksBatches());
    assertThat(batches.subList(0, 4))
        .containsExactly(
            // 1@2 s is a duplicate within the batch (the earliest row of a key passes)
            List.of(r(1, 1), r(3, 2)),
            List.of(r(31, 3)),
            // watermark 21 s: key 1 (kept until 1 + 10 s) is evicted only after this batch, so
            // 1@90 s is still a duplicate; 4@2 s is not late for the previous batch's watermark 0
            List.of(r(2, 4)),
            // key 1 passes again; 6@21 s is late (at the previous batch's watermark 21 s)
            List.of(r(95, 1), r(22, 7)));
    assertThat(progress)
        .flatExtracting(StreamingQueryProgress::stateOperators)
        .extracting(StreamingQueryProgress.StateOperatorProgress::operatorName)
        .containsOnly("dedupeWithinWatermark");
    assertThat(progress)
        .flatExtracting(StreamingQueryProgress::stateOperators)
        .extracting(StreamingQueryProgress.StateOperatorProgress::numRowsDroppedByWatermark)
        .containsOnlyOnce(1L)
        .containsOnly(0L, 1L);
  }

  @Test
  void withTheEventTimeAmongTheKeysEachKeyIsKeptUntilTheWatermarkPassesIt() throws Exception {
    run(WITH_EVENT_TIME_KEY, OutputMode.UPDATE, sparksBatches());
    assertThat(batches.subList(0, 4))
        .containsExactly(
            List.of(r(1, 1), r(2, 1), r(3, 2)),
            List.of(r(30, 1), r(31, 3)),
            List.of(r(90, 1), r(2, 4)),
            List.of(r(95, 1), r(22, 7)));
    assertThat(progress)
        .flatExtracting(StreamingQueryProgress::stateOperators)
        .extracting(StreamingQueryProgress.StateOperatorProgress::operatorName)
        .containsOnly("dedupe");
  }

  @Test
  void theKeysSurviveARestartAndTheWhereAndSelectAboveStillApply() throws Exception {
    String sql =
        "SELECT v * 10 AS w, UPPER('x') AS u FROM (SELECT ts, v, ROW_NUMBER() OVER (PARTITION BY"
            + " v ORDER BY ts) AS rn FROM events) WHERE rn = 1 AND v > 1";
    Events events = new Events("events");
    row(events, 1, 1, 2, 2, 3, 3);
    run(sql, OutputMode.APPEND, events);
    row(events, 4, 2, 5, 4); // a new runner: key 2 is still in the state
    run(sql, OutputMode.APPEND, events);
    assertThat(output).containsExactly(List.of(20L, "X"), List.of(30L, "X"), List.of(40L, "X"));
  }

  @Test
  void formsThatWouldKeepEveryKeyForeverOrAreNotADeduplicationAreRefused() {
    Events events = new Events("events");
    assertThatThrownBy(
            () ->
                QueryCompiler.compile(
                    WITHIN_WATERMARK,
                    List.of(new TableDefinition("events", events.columns())),
                    OutputMode.APPEND))
        .hasMessageContaining("dropDuplicatesWithinWatermark is not supported on streaming")
        .hasMessageContaining("spec.sources[].watermark");
    assertThatThrownBy(() -> compile(WITHIN_WATERMARK.replace("ORDER BY ts", "ORDER BY v")))
        .hasMessageContaining("ORDER BY the event-time column");
    assertThatThrownBy(() -> compile(WITHIN_WATERMARK.replace("ORDER BY ts", "ORDER BY ts DESC")))
        .hasMessageContaining("ORDER BY ts ascending");
    assertThatThrownBy(() -> compile(WITHIN_WATERMARK.replace("rn = 1", "rn <= 2")))
        .hasMessageContaining("can only keep the first row of each key, WHERE rn = 1");
    assertThatThrownBy(() -> compile(WITHIN_WATERMARK.replace("ROW_NUMBER()", "RANK()")))
        .hasMessageContaining("[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING]");
    assertThatThrownBy(
            () ->
                QueryCompiler.compile(
                    WITHIN_WATERMARK, List.of(table(events)), OutputMode.COMPLETE))
        .hasMessageContaining("Invalid streaming output mode: complete");
  }

  private static TableDefinition table(Events events) {
    return new TableDefinition(events.name(), events.columns(), "ts", DELAY_S * S);
  }

  private static BatchQuery compile(String sql) throws Exception {
    return QueryCompiler.compile(sql, List.of(table(new Events("events"))), OutputMode.APPEND);
  }

  /** One runner process over {@code events}, watermarked on ts with a 10-second delay. */
  private void run(String sql, OutputMode mode, Events events) throws Exception {
    events.pinned = null;
    new MicroBatchExecution(
            new QueryDefinition(
                "dedup",
                List.of(events),
                QueryCompiler.compile(sql, List.of(table(events)), mode),
                List.of(sink),
                new Trigger.AvailableNow(),
                100,
                List.of(new EventTimeWatermark(0, 0, DELAY_S * S)),
                StateStoreSettings.heap()),
            FileCheckpoint.open(dir),
            new ManualClock(0),
            new ProgressListener() {
              @Override
              public void onProgress(StreamingQueryProgress p) {
                progress.add(p);
              }
            })
        .run();
  }
}
