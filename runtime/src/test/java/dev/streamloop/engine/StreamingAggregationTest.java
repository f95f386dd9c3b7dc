package dev.streamloop.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.TestSources.MemorySource;
import dev.streamloop.engine.TestSources.RecordingSink;
import dev.streamloop.engine.checkpoint.FileCheckpoint;
import dev.streamloop.engine.sql.QueryCompiler;
import dev.streamloop.engine.sql.SqlCompileException;
import dev.streamloop.engine.sql.TableDefinition;
import dev.streamloop.engine.state.StateStoreSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming aggregations through the loop with real compiled SQL and a real checkpoint: Spark's
 * behaviours from the reference (complete mode across a restart, update mode emitting only the
 * changed groups, a failed batch re-run without counting twice).
 */
class StreamingAggregationTest {
  /** MOD(BIGINT, INTEGER) is an INTEGER in Calcite: the parity column holds Integers. */
  private static final String BY_PARITY =
      "SELECT MOD(n, 2) AS parity, COUNT(*) AS c, SUM(n) AS s, AVG(n) AS a, MAX(n) AS mx"
          + " FROM numbers GROUP BY MOD(n, 2)";

  @TempDir Path dir;

  private final MemorySource source = new MemorySource();
  private final RecordingSink sink = new RecordingSink();
  private final List<StreamingQueryProgress> progress = new ArrayList<>();

  /** Rows per delivered batch, in the order the sink got them. */
  private final List<Integer> sizes = new ArrayList<>();

  private void add(long... values) {
    for (long v : values) {
      source.values.add(v);
    }
  }

  /** Where the state is kept: the heap here, RocksDB in {@link RocksDbStreamingAggregationTest}. */
  StateStoreSettings stateSettings() {
    return StateStoreSettings.heap();
  }

  /** A fresh runner process: the query compiled again, the checkpoint opened again. */
  private void run(String sql, OutputMode mode) throws SqlCompileException {
    BatchQuery query =
        QueryCompiler.compile(sql, List.of(new TableDefinition("numbers", source.columns())), mode);
    new MicroBatchExecution(
            new QueryDefinition(
                "agg",
                List.of(source),
                query,
                List.of(sink),
                new Trigger.AvailableNow(),
                100,
                List.of(),
                stateSettings()),
            FileCheckpoint.open(dir),
            new ManualClock(0),
            new ProgressListener() {
              @Override
              public void onProgress(StreamingQueryProgress p) {
                progress.add(p);
                if (p.ranBatch()) {
                  p.allSinks().forEach(k -> sizes.add((int) k.numOutputRows()));
                }
              }
            })
        .run();
  }

  /** The rows batch {@code batchId} delivered (its last delivery), ordered by the first column. */
  private List<List<Object>> batch(long batchId) {
    List<List<Object>> rows = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < sink.batchIds.size(); i++) {
      int size = sizes.get(i);
      if (sink.batchIds.get(i) == batchId) {
        rows = new ArrayList<>(sink.rows.subList(at, at + size));
      }
      at += size;
    }
    rows.sort(
        (a, b) -> Long.compare(((Number) a.get(0)).longValue(), ((Number) b.get(0)).longValue()));
    return rows;
  }

  @Test
  void completeModeEmitsEveryGroupAndKeepsCountingAcrossARestart() throws Exception {
    add(1, 2, 3);
    run(BY_PARITY, OutputMode.COMPLETE);
    add(4, 5);
    run(BY_PARITY, OutputMode.COMPLETE);

    assertThat(sink.batchIds).containsExactly(0L, 1L);
    assertThat(batch(0)).containsExactly(List.of(0, 1L, 2L, 2.0, 2L), List.of(1, 2L, 4L, 2.0, 3L));
    assertThat(batch(1)).containsExactly(List.of(0, 2L, 6L, 3.0, 4L), List.of(1, 3L, 9L, 3.0, 5L));
    StreamingQueryProgress.StateOperatorProgress state =
        progress.stream()
            .filter(p -> p.batchId() == 1 && p.ranBatch())
            .findFirst()
            .orElseThrow()
            .stateOperators()
            .get(0);
    assertThat(state.numRowsTotal()).isEqualTo(2);
    assertThat(state.numRowsUpdated()).isEqualTo(2);
    assertThat(state.customMetrics().get("stateBytesWritten")).isPositive();
    // the trigger after the last batch found no data: as Spark's, its progress keeps the state's
    // totals with nothing updated
    StreamingQueryProgress.StateOperatorProgress idle =
        progress.get(progress.size() - 1).stateOperators().get(0);
    assertThat(progress.get(progress.size() - 1).ranBatch()).isFalse();
    assertThat(idle.numRowsTotal()).isEqualTo(2);
    assertThat(idle.numRowsUpdated()).isZero();
  }

  @Test
  void approxCountDistinctKeepsItsSketchInTheStateAcrossARestart() throws Exception {
    String sql =
        "SELECT MOD(n, 2) AS parity, approx_count_distinct(n) AS d, COUNT(*) AS c FROM numbers"
            + " GROUP BY MOD(n, 2)";
    for (long n = 0; n < 200; n++) {
      add(n, n); // every value twice
    }
    run(sql, OutputMode.COMPLETE);
    for (long n = 100; n < 300; n++) {
      add(n); // half of them seen before
    }
    run(sql, OutputMode.COMPLETE);
    // 150 distinct values per parity; Spark's linear counting gives exactly that or near it
    assertThat(batch(1)).hasSize(2);
    for (List<Object> row : batch(1)) {
      assertThat((Long) row.get(1)).isBetween(140L, 160L);
      assertThat(row.get(2)).isEqualTo(300L);
    }
  }

  @Test
  void updateModeEmitsOnlyTheGroupsTheBatchChanged() throws Exception {
    add(1, 2);
    run(BY_PARITY, OutputMode.UPDATE);
    add(3, 5);
    run(BY_PARITY, OutputMode.UPDATE);

    assertThat(batch(1)).containsExactly(List.of(1, 3L, 9L, 3.0, 5L));
  }

  @Test
  void aBatchThatFailsAfterTheAggregationIsReRunWithoutCountingTwice() throws Exception {
    add(1, 2);
    run(BY_PARITY, OutputMode.COMPLETE);
    add(3);
    sink.onBatch =
        id -> {
          throw new IllegalStateException("sink down in batch " + id);
        };
    assertThatThrownBy(() -> run(BY_PARITY, OutputMode.COMPLETE))
        .hasMessage("sink down in batch 1");

    sink.onBatch = id -> {};
    run(BY_PARITY, OutputMode.COMPLETE);

    assertThat(batch(1)).containsExactly(List.of(0, 1L, 2L, 2.0, 2L), List.of(1, 2L, 4L, 2.0, 3L));
  }

  @Test
  void havingAndExpressionsOverAggregatesRunAboveTheGroups() throws Exception {
    add(1, 2, 3, 5);
    run(
        "SELECT MOD(n, 2) AS parity, SUM(n) * 10 AS s10 FROM numbers GROUP BY MOD(n, 2)"
            + " HAVING COUNT(*) > 1",
        OutputMode.COMPLETE);

    assertThat(sink.rows).containsExactly(List.of(1, 90L));
  }

  @Test
  void aChangedGroupingOnAnExistingCheckpointIsRefusedAtStart() throws Exception {
    add(1, 2);
    run(BY_PARITY, OutputMode.COMPLETE);

    assertThatThrownBy(
            () ->
                run(
                    "SELECT MOD(n, 3) AS r, COUNT(*) AS c FROM numbers GROUP BY MOD(n, 3)",
                    OutputMode.COMPLETE))
        .isInstanceOf(dev.streamloop.engine.checkpoint.CheckpointException.class)
        .hasMessageContaining("state/0/_schema")
        .hasMessageContaining("another aggregation")
        .hasMessageContaining("spec.checkpoint.resetNonce");
  }

  @Test
  void sortingIsAllowedOnlyInCompleteModeAndDistinctNever() {
    assertThatThrownBy(
            () ->
                run(
                    "SELECT MOD(n, 2) AS p, COUNT(*) AS c FROM numbers GROUP BY MOD(n, 2)"
                        + " ORDER BY c DESC",
                    OutputMode.UPDATE))
        .hasMessageContaining(
            "unless it is on aggregated DataFrame/Dataset in Complete output mode");
    assertThatThrownBy(() -> run("SELECT COUNT(DISTINCT n) AS c FROM numbers", OutputMode.COMPLETE))
        .hasMessageContaining("Consider using approx_count_distinct()");
  }
}
