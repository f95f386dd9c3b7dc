package dev.streamloop.engine.sql;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.state.StateStoreSettings;
import java.util.List;
import java.util.Map;

/**
 * A query with one stateful operator between two compiled parts: {@code below} turns a batch's
 * input into the operator's rows, the operator keeps its {@link OperatorState}, {@code above} runs
 * over what it emits. What every such query answers the loop the same way is here.
 */
abstract class StatefulQuery implements BatchQuery {
  final CalciteQuery below;
  final CalciteQuery above;
  final OperatorState state;

  StatefulQuery(CalciteQuery below, CalciteQuery above, OperatorState state) {
    this.below = below;
    this.above = above;
    this.state = state;
  }

  @Override
  public final List<Column> outputColumns() {
    return above.outputColumns();
  }

  @Override
  public final boolean stateful() {
    return true;
  }

  /** What the state holds, as its {@code _schema} file says it. */
  @Override
  public final String stateSchema() {
    return state.schema().toJson();
  }

  @Override
  public final List<String> stateDifferences(String kept) {
    return state.differences(kept);
  }

  @Override
  public final void open(Checkpoint checkpoint, int retainBatches, StateStoreSettings settings) {
    state.open(checkpoint, retainBatches, settings);
  }

  @Override
  public final Iterable<Object[]> execute(
      Map<String, Iterable<Object[]>> inputs, long batchTimestampMs) {
    throw new IllegalStateException("a stateful query runs with its batch id");
  }

  @Override
  public String failingExpression(RuntimeException e) {
    String failing = below.failingExpression(e);
    return failing != null ? failing : above.failingExpression(e);
  }
}
