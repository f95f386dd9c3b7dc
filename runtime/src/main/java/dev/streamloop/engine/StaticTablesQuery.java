package dev.streamloop.engine;

import dev.streamloop.engine.StreamingQueryProgress.StateOperatorProgress;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.state.StateStoreSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled query that reads static tables beside its streams: each batch's inputs get the tables'
 * current snapshots, under their names, before the query runs. Everything else is the query's.
 */
public final class StaticTablesQuery implements BatchQuery {
  private final BatchQuery query;
  private final List<StaticTable> tables;

  public StaticTablesQuery(BatchQuery query, List<StaticTable> tables) {
    this.query = query;
    this.tables = List.copyOf(tables);
  }

  private Map<String, Iterable<Object[]>> withTables(Map<String, Iterable<Object[]>> inputs) {
    Map<String, Iterable<Object[]>> all = new HashMap<>(inputs);
    for (StaticTable table : tables) {
      all.put(table.name(), table.rows());
    }
    return all;
  }

  @Override
  public List<Column> outputColumns() {
    return query.outputColumns();
  }

  @Override
  public Iterable<Object[]> execute(Map<String, Iterable<Object[]>> inputs, long batchTimestampMs) {
    return query.execute(withTables(inputs), batchTimestampMs);
  }

  @Override
  public Iterable<Object[]> execute(
      long batchId,
      long watermarkMs,
      long lateEventsWatermarkMs,
      Map<String, Iterable<Object[]>> inputs,
      long batchTimestampMs,
      RowFailures failures) {
    return query.execute(
        batchId,
        watermarkMs,
        lateEventsWatermarkMs,
        withTables(inputs),
        batchTimestampMs,
        failures);
  }

  @Override
  public String failingExpression(RuntimeException e) {
    return query.failingExpression(e);
  }

  @Override
  public boolean actsOnWatermark() {
    return query.actsOnWatermark();
  }

  @Override
  public boolean dropsLateRows() {
    return query.dropsLateRows();
  }

  @Override
  public boolean hasEventTimeKey() {
    return query.hasEventTimeKey();
  }

  @Override
  public String stateSchema() {
    return query.stateSchema();
  }

  @Override
  public List<String> stateDifferences(String kept) {
    return query.stateDifferences(kept);
  }

  @Override
  public boolean stateful() {
    return query.stateful();
  }

  @Override
  public void open(Checkpoint checkpoint, int retainBatches, StateStoreSettings state) {
    query.open(checkpoint, retainBatches, state);
  }

  @Override
  public void close() {
    query.close();
  }

  @Override
  public List<StateOperatorProgress> commitState(long batchId) {
    return query.commitState(batchId);
  }
}
