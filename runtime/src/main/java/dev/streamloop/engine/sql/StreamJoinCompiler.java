package dev.streamloop.engine.sql;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.OutputMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;

/**
 * Compiles a join of two streams ({@link StreamJoinSplit}): each side's plan on its own, the join's
 * keys and time range read from its condition, and the plan above it (from a second conversion of
 * the query) over the pairs of rows whose keys match.
 */
final class StreamJoinCompiler {
  private StreamJoinCompiler() {}

  static BatchQuery compile(
      CalcitePipeline pipeline,
      SchemaPlus root,
      SqlNode validated,
      Join join,
      List<Column> output,
      OutputMode mode,
      FailingExpressions failing)
      throws SqlCompileException {
    if (mode != OutputMode.APPEND) {
      throw new SqlCompileException(
          "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: "
              + mode.name().toLowerCase(Locale.ROOT)
              + ". This output mode is not supported for joins of two streams (a joined row is"
              + " emitted once); use append",
          0,
          0,
          null);
    }
    StatelessCheck.check(join.getLeft());
    StatelessCheck.check(join.getRight());
    JoinInfo info = join.analyzeCondition();
    int leftWidth = join.getLeft().getRowType().getFieldCount();
    int leftTime = eventTime(join.getLeft(), "left");
    int rightTime = eventTime(join.getRight(), "right");
    JoinTimeBounds bounds = JoinTimeBounds.of(join.getCondition(), leftTime, leftWidth + rightTime);
    int rightWidth = join.getRight().getRowType().getFieldCount();
    boolean outer = join.getJoinType() != JoinRelType.INNER;
    int flag = outer ? 1 : 0; // an outer join's kept rows say whether they have matched
    JoinSide left =
        new JoinSide("L", info.leftKeys.toIntArray(), leftTime, leftWidth, leftWidth + flag);
    JoinSide right =
        new JoinSide("R", info.rightKeys.toIntArray(), rightTime, rightWidth, rightWidth + flag);
    root.add(
        StreamJoinQuery.JOINED_TABLE,
        new StageOutputTable(StreamJoinQuery.JOINED_TABLE, join.getRowType()));
    RelRoot second = pipeline.toRel(validated, CalcitePipeline.statelessRules());
    Join again = StreamJoinSplit.find(second.rel);
    RelNode abovePlan =
        StreamJoinSplit.above(
            second.project(), again, pipeline.table(StreamJoinQuery.JOINED_TABLE), !outer);
    StatelessCheck.check(abovePlan);
    CalciteQuery above =
        new CalciteQuery(
            QueryCompiler.bindable(abovePlan), output, root, pipeline.typeFactory(), failing);
    OperatorState state =
        new OperatorState(stateSchema(join, info, bounds), "\u0000 no older form");
    if (!outer) {
      return new StreamingJoinQuery(
          side(pipeline, root, join.getLeft(), failing),
          side(pipeline, root, join.getRight(), failing),
          left,
          right,
          bounds,
          above,
          state);
    }
    OuterJoinPlans plans = new OuterJoinPlans(join);
    root.add(
        StreamingOuterJoinQuery.CANDIDATES_TABLE,
        new StageOutputTable(StreamingOuterJoinQuery.CANDIDATES_TABLE, plans.candidatesType()));
    RelNode matches = plans.matches(pipeline.table(StreamingOuterJoinQuery.CANDIDATES_TABLE));
    return new StreamingOuterJoinQuery(
        side(pipeline, root, plans.left(), failing),
        side(pipeline, root, plans.right(), failing),
        left,
        right,
        bounds,
        join.getJoinType().generatesNullsOnRight(),
        join.getJoinType().generatesNullsOnLeft(),
        side(pipeline, root, matches, failing),
        above,
        state);
  }

  private static CalciteQuery side(
      CalcitePipeline pipeline, SchemaPlus root, RelNode plan, FailingExpressions failing) {
    return new CalciteQuery(
        QueryCompiler.bindable(plan),
        QueryCompiler.columns(plan.getRowType()),
        root,
        pipeline.typeFactory(),
        failing);
  }

  /** The side's column that is a watermarked event-time column; refuses a side without one. */
  private static int eventTime(RelNode side, String which) throws SqlCompileException {
    for (int i = 0; i < side.getRowType().getFieldCount(); i++) {
      if (isWatermarked(side, i)) {
        return i;
      }
    }
    throw new SqlCompileException(
        "the "
            + which
            + " stream of the join has no watermarked event-time column in the join: declare"
            + " spec.sources[].watermark on both streams and join on a time range of those"
            + " columns (without it, the join would keep every row forever)",
        0,
        0,
        null);
  }

  /** Whether {@code field} of {@code node} is, unchanged, its table's watermarked column. */
  private static boolean isWatermarked(RelNode node, int field) {
    if (node instanceof Project project) {
      return project.getProjects().get(field) instanceof RexInputRef ref
          && isWatermarked(project.getInput(), ref.getIndex());
    }
    if (node instanceof Filter filter) {
      return isWatermarked(filter.getInput(), field);
    }
    if (node instanceof TableScan scan) {
      BatchTable table = scan.getTable().unwrap(BatchTable.class);
      return table != null
          && table.watermarkColumn() != null
          && table.watermarkColumn().equalsIgnoreCase(node.getRowType().getFieldNames().get(field));
    }
    return false;
  }

  /** The state's description: the join keys, both sides' columns and the time range. */
  private static AggregateStateSchema stateSchema(Join join, JoinInfo info, JoinTimeBounds bounds) {
    List<RelDataTypeField> fields = join.getRowType().getFieldList();
    List<AggregateStateSchema.Column> keys = new ArrayList<>();
    for (int k : info.leftKeys) {
      keys.add(AggregateStateSchema.column(fields.get(k)));
    }
    List<String> sides = new ArrayList<>();
    sides.add("JOIN LEFT " + columns(join.getLeft()));
    sides.add("JOIN RIGHT " + columns(join.getRight()));
    if (join.getJoinType() != JoinRelType.INNER) {
      sides.add("JOIN TYPE " + join.getJoinType().name());
    }
    sides.add(
        "JOIN RANGE left >= right + "
            + bounds.leftLowerMs()
            + " ms, right >= left + "
            + bounds.rightLowerMs()
            + " ms");
    return new AggregateStateSchema(AggregateStateSchema.VERSION, keys, List.of(), sides);
  }

  private static List<String> columns(RelNode side) {
    return side.getRowType().getFieldList().stream()
        .map(f -> AggregateStateSchema.column(f).toString())
        .toList();
  }
}
