package dev.streamloop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.engine.checkpoint.FileCheckpoint;
import dev.streamloop.engine.sql.QueryCompiler;
import dev.streamloop.engine.sql.TableDefinition;
import dev.streamloop.engine.state.StateStoreSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event-time windows with watermarks, through the loop with compiled SQL and a real checkpoint;
 * each step is a new runner process (compiled again, checkpoint opened again), as Spark's
 * EventTimeWatermarkSuite cases with restarts.
 */
class WindowedAggregationTest {
  /** Where the state is kept: the heap here, RocksDB in {@link RocksDbWindowedAggregationTest}. */
  StateStoreSettings stateSettings() {
    return StateStoreSettings.heap();
  }

  private static final long S = 1000;

  @TempDir Path dir;

  /** Rows (ts, v) added by the test; the offset is how many exist. */
  static final class Events implements Source {
    final String name;
    final List<Object[]> rows = new ArrayList<>();
    Integer pinned;
    int perBatch = Integer.MAX_VALUE;

    Events(String name) {
      this.name = name;
    }

    void add(long... seconds) {
      for (long s : seconds) {
        rows.add(new Object[] {s * S, 1L});
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<Column> columns() {
      return List.of(new Column("ts", ColumnKind.TIMESTAMP), new Column("v", ColumnKind.LONG));
    }

    @Override
    public String description() {
      return "Events[" + name + "]";
    }

    @Override
    public void pinForAvailableNow() {
      pinned = rows.size();
    }

    @Override
    public String planBatch(long batchId, String start) {
      int from = start == null ? 0 : Integer.parseInt(start);
      int to = (int) Math.min(pinned != null ? pinned : rows.size(), (long) from + perBatch);
      return to == from ? start : Integer.toString(to);
    }

    @Override
    public Iterator<Object[]> read(long batchId, String start, String end) {
      int from = start == null ? 0 : Integer.parseInt(start);
      return rows.subList(from, Integer.parseInt(end)).iterator();
    }
  }

  private final List<List<Object>> output = new ArrayList<>();
  private final List<List<Object>> lastBatch = new ArrayList<>();
  private final List<String> columnNames = new ArrayList<>();
  private final List<StreamingQueryProgress> progress = new ArrayList<>();

  private final Sink sink =
      new Sink() {
        @Override
        public String description() {
          return "test";
        }

        @Override
        public long addBatch(long batchId, List<Column> columns, Iterable<Object[]> rows) {
          long n = 0;
          columnNames.clear();
          columns.forEach(c -> columnNames.add(c.name()));
          lastBatch.clear();
          for (Object[] row : rows) {
            output.add(List.of(row));
            lastBatch.add(List.of(row));
            n++;
          }
          return n;
        }
      };

  /** One runner process over {@code sources}, each watermarked on ts with {@code delay}. */
  private void run(String sql, OutputMode mode, long delay, Events... sources) throws Exception {
    List<TableDefinition> tables = new ArrayList<>();
    List<EventTimeWatermark> watermarks = new ArrayList<>();
    for (int i = 0; i < sources.length; i++) {
      tables.add(new TableDefinition(sources[i].name(), sources[i].columns(), "ts"));
      watermarks.add(new EventTimeWatermark(i, 0, delay * S));
      sources[i].pinned = null;
    }
    BatchQuery query = QueryCompiler.compile(sql, tables, mode);
    new MicroBatchExecution(
            new QueryDefinition(
                "windows",
                List.of(sources),
                query,
                List.of(sink),
                new Trigger.AvailableNow(),
                100,
                watermarks,
                stateSettings()),
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

  /** The eventTime of the last batch that ran (idle triggers report none). */
  private java.util.Map<String, String> lastEventTime() {
    return progress.stream()
        .filter(p -> !p.eventTime().isEmpty())
        .reduce((a, b) -> b)
        .orElseThrow()
        .eventTime();
  }

  private static final String TEN_SECOND_COUNTS =
      "SELECT window_start, window_end, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE events,"
          + " DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";

  private static List<Object> window(long startSeconds, long count) {
    return List.of(startSeconds * S, (startSeconds + 10) * S, count);
  }

  @Test
  void appendEmitsEachWindowOnceWhenTheWatermarkClosesItAndDropsLateRows() throws Exception {
    Events events = new Events("events");
    events.add(1, 2, 11); // watermark after: 11 - 5 = 6 s
    run(TEN_SECOND_COUNTS, OutputMode.APPEND, 5, events);
    assertThat(output).isEmpty();

    events.add(3, 25); // 3 s is not late yet (its window ends at 10 s > 6 s); watermark -> 20 s
    run(TEN_SECOND_COUNTS, OutputMode.APPEND, 5, events);
    // the no-data batch closed [0,10) and [10,20) at watermark 20 s, each once
    assertThat(output).containsExactlyInAnyOrder(window(0, 3), window(10, 1));

    events.add(4, 26); // 4 s is late (window end 10 s <= 20 s): dropped and counted
    run(TEN_SECOND_COUNTS, OutputMode.APPEND, 5, events);
    assertThat(output).containsExactlyInAnyOrder(window(0, 3), window(10, 1));
    assertThat(progress)
        .flatExtracting(StreamingQueryProgress::stateOperators)
        .extracting(StreamingQueryProgress.StateOperatorProgress::numRowsDroppedByWatermark)
        .contains(1L);

    events.add(40); // watermark -> 35 s closes [20,30) with both of its rows
    run(TEN_SECOND_COUNTS, OutputMode.APPEND, 5, events);
    assertThat(output).containsExactlyInAnyOrder(window(0, 3), window(10, 1), window(20, 2));
    assertThat(lastEventTime()).containsEntry("watermark", "1970-01-01T00:00:35.000Z");
  }

  @Test
  void lateRowsAreJudgedByThePreviousBatchsWatermarkAsInSpark34() throws Exception {
    Events events = new Events("events");
    events.perBatch = 3; // one run, three data batches back to back, no batch without data between
    events.add(1, 2, 11); // batch 0 runs with watermark 0, and sets 6 s
    events.add(8, 30, 31); // batch 1 runs with 6 s, and sets 26 s
    events.add(4, 40, 41); // batch 2 runs with 26 s; 4 s is late only for 26 s, not for 6 s
    run(TEN_SECOND_COUNTS, OutputMode.APPEND, 5, events);
    // Spark 3.4+: batch 2 drops what batch 1's watermark (6 s) had closed, counts 4 s in [0,10)
    // and then emits [0,10) with it: 1, 2, 8, 4
    assertThat(output).contains(window(0, 4));
    assertThat(progress)
        .flatExtracting(StreamingQueryProgress::stateOperators)
        .extracting(StreamingQueryProgress.StateOperatorProgress::numRowsDroppedByWatermark)
        .containsOnly(0L);
  }

  @Test
  void sparksWindowGroupingMakesTheWindowsOfTumbleNamedAsSparkNamesThem() throws Exception {
    String spark =
        "SELECT window.start, window.end, COUNT(*) AS c FROM events"
            + " GROUP BY window(ts, '10 seconds')";
    Events events = new Events("events");
    events.add(1, 2, 11);
    run(spark, OutputMode.APPEND, 5, events);
    events.add(3, 25, 4); // 4 s is not late in this batch: the watermark is still 6 s
    run(spark, OutputMode.APPEND, 5, events);
    assertThat(output).containsExactlyInAnyOrder(window(0, 4), window(10, 1));
    assertThat(columnNames).containsExactly("start", "end", "c");
  }

  @Test
  void sparksSlidingWindowsPutARowInEveryWindowThatHoldsIt() throws Exception {
    Events events = new Events("events");
    events.add(1, 7, 12);
    run(
        "SELECT window.start, window.end, COUNT(*) AS c FROM events"
            + " GROUP BY window(ts, '10 seconds', '5 seconds')",
        OutputMode.COMPLETE,
        5,
        events);
    assertThat(lastBatch)
        .containsExactlyInAnyOrder(
            List.of(-5 * S, 5 * S, 1L),
            List.of(0L, 10 * S, 2L),
            List.of(5 * S, 15 * S, 2L),
            List.of(10 * S, 20 * S, 1L));
  }

  @Test
  void sparksWindowStartTimeShiftsTheWindowsEvenWhenNegative() throws Exception {
    Events events = new Events("events");
    events.add(1, 4, 12);
    // Spark: start = ts - (ts - startTime + slide) % slide; -7 s shifts as 3 s does
    run(
        "SELECT window.start, window.end, COUNT(*) AS c FROM events"
            + " GROUP BY window(ts, '10 seconds', '10 seconds', '-7 seconds')",
        OutputMode.COMPLETE,
        5,
        events);
    assertThat(lastBatch)
        .containsExactlyInAnyOrder(List.of(-7 * S, 3 * S, 1L), List.of(3 * S, 13 * S, 2L));
  }

  @Test
  void theNoDataBatchThatClosesWindowsRunsRightAfterARestart() throws Exception {
    Events events = new Events("events");
    events.add(1, 2, 11);
    run(TEN_SECOND_COUNTS, OutputMode.APPEND, 5, events);
    events.add(3, 25); // batch 1 moves the watermark to 20 s; no-data batch 2 closes two windows
    run(TEN_SECOND_COUNTS, OutputMode.APPEND, 5, events);
    assertThat(output).containsExactlyInAnyOrder(window(0, 3), window(10, 1));
    // as if the runner died right after the data batch committed: the no-data batch (the last
    // one, which closed the windows) never happened
    long noData =
        progress.stream()
            .filter(p -> p.durationMs().containsKey("addBatch"))
            .mapToLong(StreamingQueryProgress::batchId)
            .max()
            .orElseThrow();
    java.nio.file.Files.delete(dir.resolve("offsets/" + noData));
    java.nio.file.Files.delete(dir.resolve("commits/" + noData));
    for (String store : List.of(".delta", ".rocksdb")) { // the version either store wrote
      java.nio.file.Files.deleteIfExists(dir.resolve("state/0/" + (noData + 1) + store));
    }
    output.clear();

    run(TEN_SECOND_COUNTS, OutputMode.APPEND, 5, events); // no new data at all

    assertThat(output).containsExactlyInAnyOrder(window(0, 3), window(10, 1));
  }

  @Test
  void updateEvictsClosedWindowsSilentlyAndCompleteKeepsEverything() throws Exception {
    Events events = new Events("events");
    events.add(1, 12);
    run(TEN_SECOND_COUNTS, OutputMode.UPDATE, 0, events); // watermark -> 12 s
    events.add(2); // late in update mode: dropped, [0,10) not emitted again
    run(TEN_SECOND_COUNTS, OutputMode.UPDATE, 0, events);

    assertThat(output).containsExactlyInAnyOrder(window(0, 1), window(10, 1));
  }

  @Test
  void withTwoInputsTheWatermarkIsTheMinimumAndWaitsForBoth() throws Exception {
    Events left = new Events("a");
    Events right = new Events("b");
    String sql =
        "SELECT window_start, window_end, COUNT(*) AS c FROM ("
            + " SELECT window_start, window_end FROM TABLE(TUMBLE(TABLE a, DESCRIPTOR(ts),"
            + " INTERVAL '10' SECOND)) UNION ALL"
            + " SELECT window_start, window_end FROM TABLE(TUMBLE(TABLE b, DESCRIPTOR(ts),"
            + " INTERVAL '10' SECOND)))"
            + " GROUP BY window_start, window_end";
    left.add(1, 30);
    run(sql, OutputMode.APPEND, 0, left, right);
    // right has had no data: it counts as 0, so the watermark stays 0 and nothing closes
    assertThat(output).isEmpty();
    assertThat(lastEventTime()).containsEntry("watermark", "1970-01-01T00:00:00.000Z");

    // watermark -> min(30, 15) = 15 s: [0,10) closes, [10,20) does not. Spark would stay at 0
    // here: it forgets a's own watermark (30 s) on restart; ours is in the checkpoint
    right.add(15);
    run(sql, OutputMode.APPEND, 0, left, right);
    assertThat(output).containsExactly(window(0, 1));
  }
}
