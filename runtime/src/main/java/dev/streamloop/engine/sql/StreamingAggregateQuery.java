package dev.streamloop.engine.sql;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.OutputMode;
import dev.streamloop.engine.StreamingQueryProgress.StateOperatorProgress;
import dev.streamloop.engine.checkpoint.AtomicFiles;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A query with one GROUP BY, split where Calcite planned the Aggregate: the compiled part below it
 * turns each batch's input into (group columns, arguments) rows; the aggregation adds them to the
 * groups kept in a {@link StateStore} (batch N reads version N, commits N+1 after the sinks); the
 * compiled part above it (HAVING, expressions, ORDER BY in Complete mode) runs over the groups the
 * output mode emits: all of them (Complete) or those the batch changed (Update).
 */
final class StreamingAggregateQuery implements BatchQuery {
  static final String GROUPS_TABLE = "$groups";
  private static final int SNAPSHOT_INTERVAL = 10;

  private final CalciteQuery below;
  private final int groupColumns;
  private final AggregateFunctions functions;
  private final CalciteQuery above;
  private final OutputMode mode;
  private final String stateSchema;
  private Path stateDir;
  private int retainBatches;
  private StateStore store;
  private long updatedInBatch;

  StreamingAggregateQuery(
      CalciteQuery below,
      int groupColumns,
      AggregateFunctions functions,
      CalciteQuery above,
      OutputMode mode,
      String stateSchema) {
    this.below = below;
    this.stateSchema = stateSchema;
    this.groupColumns = groupColumns;
    this.functions = functions;
    this.above = above;
    this.mode = mode;
  }

  @Override
  public List<Column> outputColumns() {
    return above.outputColumns();
  }

  @Override
  public boolean stateful() {
    return true;
  }

  /**
   * Remembers where the state lives, and refuses a checkpoint whose state was kept for another
   * aggregation (other group columns or functions): read as this one, it would be silently wrong.
   */
  @Override
  public void open(Checkpoint checkpoint, int retainBatches) {
    this.stateDir = checkpoint.stateDirectory(0);
    this.retainBatches = retainBatches;
    Path schemaFile = stateDir.resolve("_schema");
    try {
      AtomicFiles.createExclusive(schemaFile, stateSchema.getBytes(StandardCharsets.UTF_8));
      String kept = Files.readString(schemaFile, StandardCharsets.UTF_8);
      if (!kept.equals(stateSchema)) {
        throw new CheckpointException(
            schemaFile,
            "the checkpoint's state was kept for another aggregation ("
                + kept.strip()
                + "); the query now has "
                + stateSchema.strip()
                + ". As in Spark, a changed grouping or aggregate cannot use the old state: restore"
                + " the query, or start from an empty checkpoint (spec.checkpoint.resetNonce)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + schemaFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Iterable<Object[]> execute(Map<String, Iterable<Object[]>> inputs, long batchTimestampMs) {
    throw new IllegalStateException("a stateful query runs with its batch id");
  }

  @Override
  public Iterable<Object[]> execute(
      long batchId, Map<String, Iterable<Object[]>> inputs, long batchTimestampMs) {
    if (stateDir == null) {
      throw new IllegalStateException("a stateful query must be opened on a checkpoint first");
    }
    if (store == null || store.version() != batchId || store.hasUncommittedChanges()) {
      // the first batch of this run, or a re-run of a batch that failed in this process
      store = StateStore.load(stateDir, batchId, SNAPSHOT_INTERVAL);
    }
    Map<List<Object>, Object[]> touched = new HashMap<>();
    for (Object[] row : below.execute(inputs, batchTimestampMs)) {
      List<Object> key = Arrays.asList(Arrays.copyOf(row, groupColumns));
      Object[] groupState = touched.get(key);
      if (groupState == null) {
        Object[] stored = store.get(key);
        groupState = stored == null ? functions.empty() : stored.clone();
        touched.put(key, groupState);
      }
      functions.add(groupState, row);
    }
    touched.forEach(store::put);
    updatedInBatch = touched.size();
    Map<List<Object>, Object[]> emitted = mode == OutputMode.COMPLETE ? store.entries() : touched;
    List<Object[]> groups = new ArrayList<>(emitted.size());
    emitted.forEach((key, groupState) -> groups.add(row(key, groupState)));
    return above.execute(Map.of(GROUPS_TABLE, groups), batchTimestampMs);
  }

  private Object[] row(List<Object> key, Object[] groupState) {
    Object[] row = new Object[groupColumns + functions.size()];
    for (int i = 0; i < groupColumns; i++) {
      row[i] = key.get(i);
    }
    for (int i = 0; i < functions.size(); i++) {
      row[groupColumns + i] = functions.result(groupState, i);
    }
    return row;
  }

  @Override
  public List<StateOperatorProgress> commitState(long batchId) {
    StateStore.Commit commit = store.commit();
    store.purge(retainBatches);
    return List.of(
        new StateOperatorProgress(
            "stateStoreSave",
            store.size(),
            updatedInBatch,
            commit.removed(),
            0,
            store.estimatedBytes(),
            commit.millis(),
            Map.of("stateBytesWritten", commit.bytesWritten())));
  }
}
