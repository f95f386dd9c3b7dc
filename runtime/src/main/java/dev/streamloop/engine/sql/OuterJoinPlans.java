package dev.streamloop.engine.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * The plans an outer join of two streams runs besides the inner join's ({@link
 * StreamingOuterJoinQuery}): each side's rows with whether they pass the join's conditions on that
 * side alone (Spark's pre-join filter) as one more column, and the check of the whole condition
 * over numbered pairs of rows, which answers the numbers of the pairs that pass.
 */
final class OuterJoinPlans {
  private final Join join;
  private final int leftWidth;
  private final List<RexNode> leftOnly = new ArrayList<>();
  private final List<RexNode> rightOnly = new ArrayList<>();

  OuterJoinPlans(Join join) {
    this.join = join;
    this.leftWidth = join.getLeft().getRowType().getFieldCount();
    for (RexNode conjunct : RelOptUtil.conjunctions(join.getCondition())) {
      ImmutableBitSet fields = RelOptUtil.InputFinder.bits(conjunct);
      if (fields.isEmpty()) {
        continue; // a constant: checked with the pairs
      }
      if (fields.nextSetBit(leftWidth) < 0) {
        leftOnly.add(conjunct);
      } else if (fields.nextSetBit(0) >= leftWidth) {
        rightOnly.add(RexUtil.shift(conjunct, -leftWidth));
      }
    }
  }

  /** The left side's plan, its rows with whether they pass the conditions on the left alone. */
  RelNode left() {
    return withPasses(join.getLeft(), leftOnly);
  }

  /** The right side's plan, its rows with whether they pass the conditions on the right alone. */
  RelNode right() {
    return withPasses(join.getRight(), rightOnly);
  }

  /** The join's rows, then the number of the pair: what {@link #matches} reads. */
  RelDataType candidatesType() {
    var typeFactory = join.getCluster().getTypeFactory();
    return typeFactory
        .builder()
        .addAll(join.getRowType().getFieldList())
        .add("$pair", typeFactory.createSqlType(SqlTypeName.INTEGER))
        .build();
  }

  /** The numbers of the pairs in {@code candidates} that pass the join's whole condition. */
  RelNode matches(RelOptTable candidates) {
    RelNode scan = LogicalTableScan.create(join.getCluster(), candidates, List.of());
    RelNode passing = LogicalFilter.create(scan, join.getCondition());
    RelDataTypeField pair = candidatesType().getFieldList().get(join.getRowType().getFieldCount());
    return LogicalProject.create(
        passing,
        List.of(),
        List.of(new RexInputRef(pair.getIndex(), pair.getType())),
        List.of(pair.getName()),
        Set.of());
  }

  private RelNode withPasses(RelNode side, List<RexNode> conditions) {
    RexBuilder rex = join.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (RelDataTypeField field : side.getRowType().getFieldList()) {
      projects.add(new RexInputRef(field.getIndex(), field.getType()));
      names.add(field.getName());
    }
    projects.add(RexUtil.composeConjunction(rex, conditions));
    names.add("$passes");
    return LogicalProject.create(side, List.of(), projects, names, Set.of());
  }
}
