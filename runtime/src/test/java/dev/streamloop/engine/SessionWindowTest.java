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
 * Spark's session windows, {@code GROUP BY v, session_window(ts, '5 seconds')}, through the loop
 * with a real checkpoint. The expected rows are what Spark 4.0.4 gave for the same rows split into
 * the same batches with a 10-second watermark (seconds past the epoch stand for its timestamps).
 */
class SessionWindowTest {
  private static final long S = 1000;
  private static final long DELAY_S = 10;
  private static final String SESSIONS =
      "SELECT v, session_window.start, session_window.end, COUNT(*) AS n, MIN(ts) AS first,"
          + " MAX(ts) AS last FROM events GROUP BY v, session_window(ts, '5 seconds')";

  @TempDir Path dir;

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
          batches.add(batch);
          return batch.size();
        }
      };

  /** The batches of the Spark run: (seconds, key) pairs, three rows each. */
  private static Events sparksBatches() {
    Events events = new Events("events");
    events.perBatch = 3;
    row(events, 1, 1, 4, 1, 2, 2);
    row(events, 9, 1, 13, 2, 30, 1);
    row(events, 38, 1, 12, 1, 34, 1);
    row(events, 16, 2, 50, 1, 5, 2);
    row(events, 90, 1, 91, 3, 92, 3);
    return events;
  }

  private static void row(Events events, long... secondsAndKeys) {
    for (int i = 0; i < secondsAndKeys.length; i += 2) {
      events.rows.add(new Object[] {secondsAndKeys[i] * S, secondsAndKeys[i + 1]});
    }
  }

  /** A session row: key, start, end, count, first and last event time. */
  private static List<Object> s(long key, long start, long end, long n, long first, long last) {
    return List.of(key, start * S, end * S, n, first * S, last * S);
  }

  @Test
  void appendEmitsEachMergedSessionOnceTheWatermarkPassesItsEnd() throws Exception {
    run(SESSIONS, OutputMode.APPEND, sparksBatches());
    assertThat(batches).hasSize(6);
    assertThat(batches.get(0)).isEmpty();
    assertThat(batches.get(1)).isEmpty();
    // 12 s joins [1, 9) + 9 s (a session touching another's end merges); watermark 20 s
    assertThat(batches.get(2))
        .containsExactlyInAnyOrder(
            s(1, 1, 17, 4, 1, 12), s(2, 2, 7, 1, 2, 2), s(2, 13, 18, 1, 13, 13));
    // 5 s of key 2 is late (its session ends at 10 s, before the previous watermark 20 s); 16 s
    // opens a new session: the one it touches was emitted and forgotten
    assertThat(batches.get(3)).containsExactly(s(2, 16, 21, 1, 16, 16));
    assertThat(batches.get(4)).isEmpty();
    // 34 s bridged [30, 35) and [38, 43); the batch without data emits at watermark 82 s
    assertThat(batches.get(5))
        .containsExactlyInAnyOrder(s(1, 30, 43, 3, 30, 38), s(1, 50, 55, 1, 50, 50));
    assertThat(progress)
        .flatExtracting(StreamingQueryProgress::stateOperators)
        .extracting(StreamingQueryProgress.StateOperatorProgress::operatorName)
        .containsOnly("sessionWindowStateStoreSaveExec");
    assertThat(progress)
        .flatExtracting(StreamingQueryProgress::stateOperators)
        .extracting(StreamingQueryProgress.StateOperatorProgress::numRowsDroppedByWatermark)
        .containsOnlyOnce(1L);
  }

  @Test
  void completeKeepsEverySessionButStillDropsLateRows() throws Exception {
    run(SESSIONS, OutputMode.COMPLETE, sparksBatches());
    assertThat(batches.get(3))
        .containsExactlyInAnyOrder(
            s(2, 13, 21, 2, 13, 16),
            s(2, 2, 7, 1, 2, 2), // 5 s (late) did not join it
            s(1, 50, 55, 1, 50, 50),
            s(1, 1, 17, 4, 1, 12),
            s(1, 30, 43, 3, 30, 38));
    assertThat(batches.get(4))
        .contains(s(1, 90, 95, 1, 90, 90), s(3, 91, 97, 2, 91, 92))
        .hasSize(7);
  }

  @Test
  void openSessionsSurviveARestart() throws Exception {
    Events events = new Events("events");
    row(events, 1, 1, 3, 1);
    run(SESSIONS, OutputMode.APPEND, events);
    row(events, 6, 1, 40, 2); // a new runner: [1, 8) is still open, 6 s extends it
    run(SESSIONS, OutputMode.APPEND, events);
    assertThat(batches.stream().flatMap(List::stream)).containsExactly(s(1, 1, 11, 3, 1, 6));
  }

  @Test
  void formsSparkRefusesAreRefusedWithItsMessage() {
    assertThatThrownBy(() -> compile(SESSIONS, OutputMode.UPDATE))
        .hasMessageContaining("not supported for session window streaming aggregations");
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT session_window.start, COUNT(*) AS n FROM events"
                        + " GROUP BY session_window(ts, '5 seconds')",
                    OutputMode.APPEND))
        .hasMessageContaining("Global aggregation with session window in streaming query");
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT v, COUNT(*) AS n FROM events GROUP BY v, session_window(ts, '5 seconds'),"
                        + " window(ts, '10 seconds')",
                    OutputMode.APPEND))
        .hasMessageContaining("Multiple time/session window expressions");
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT v, session_window, COUNT(*) AS n FROM events"
                        + " GROUP BY v, session_window(ts, '5 seconds')",
                    OutputMode.APPEND))
        .hasMessageContaining("select session_window.start and session_window.end");
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT v, COUNT(*) AS n FROM events GROUP BY v, session_window(ts, '0 seconds')",
                    OutputMode.APPEND))
        .hasMessageContaining("the gap of session_window must be > 0");
  }

  @Test
  void aChangedGapIsAChangedState() throws Exception {
    BatchQuery five = compile(SESSIONS, OutputMode.APPEND);
    BatchQuery ten = compile(SESSIONS.replace("'5 seconds'", "'10 seconds'"), OutputMode.APPEND);
    assertThat(ten.stateDifferences(five.stateSchema()))
        .anySatisfy(reason -> assertThat(reason).contains("SESSION[5000 ms]", "SESSION[10000 ms]"));
    // Spark's interval forms are the same gap
    for (String gap : List.of("INTERVAL 5 SECONDS", "INTERVAL '5' SECOND")) {
      BatchQuery same = compile(SESSIONS.replace("'5 seconds'", gap), OutputMode.APPEND);
      assertThat(same.stateDifferences(five.stateSchema())).as(gap).isEmpty();
    }
    assertThatThrownBy(
            () ->
                compile(
                    SESSIONS.replace("'5 seconds'", "CASE WHEN v = 1 THEN '1 second' END"),
                    OutputMode.APPEND))
        .hasMessageContaining("a session_window gap computed per row is not supported yet");
  }

  private static TableDefinition table(Events events) {
    return new TableDefinition(events.name(), events.columns(), "ts", DELAY_S * S);
  }

  private static BatchQuery compile(String sql, OutputMode mode) throws Exception {
    return QueryCompiler.compile(sql, List.of(table(new Events("events"))), mode);
  }

  /** One runner process over {@code events}, watermarked on ts with a 10-second delay. */
  private void run(String sql, OutputMode mode, Events events) throws Exception {
    events.pinned = null;
    new MicroBatchExecution(
            new QueryDefinition(
                "sessions",
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
