package dev.streamloop.engine.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalTableScan;

/**
 * Where a query's plan splits for a join of two streams: the Join at the top of the plan (only
 * projections and filters above it), each side's plan below it (stateless, each compiled on its
 * own), and what runs over the joined rows.
 */
final class StreamJoinSplit {
  private StreamJoinSplit() {}

  /** The plan's join of two streams under projections and filters, or null. */
  static Join find(RelNode plan) throws SqlCompileException {
    RelNode node = plan;
    while (node instanceof Project || node instanceof Filter) {
      node = node.getInput(0);
    }
    if (!(node instanceof Join join)
        || !StreamStaticJoins.readsStream(join.getLeft())
        || !StreamStaticJoins.readsStream(join.getRight())) {
      return null;
    }
    if (!join.getJoinType().generatesNullsOnLeft()
        && !join.getJoinType().generatesNullsOnRight()
        && join.getJoinType() != JoinRelType.INNER) {
      throw new SqlCompileException(
          join.getJoinType().name()
              + " joins of two streams are not supported yet; join the streams with JOIN, LEFT"
              + " JOIN, RIGHT JOIN or FULL JOIN ... ON a time range",
          0,
          0,
          null);
    }
    return join;
  }

  /**
   * {@code plan} with {@code join} replaced by a scan of {@code joined}: the pairs of rows whose
   * keys match, filtered here by the join's whole condition when {@code filtered}, else the join's
   * rows as they are.
   */
  static RelNode above(RelNode plan, Join join, RelOptTable joined, boolean filtered) {
    List<RelNode> chain = new ArrayList<>();
    for (RelNode node = plan; node != join; node = node.getInput(0)) {
      chain.add(node);
    }
    RelNode rebuilt = LogicalTableScan.create(join.getCluster(), joined, List.of());
    if (filtered) {
      rebuilt = LogicalFilter.create(rebuilt, join.getCondition());
    }
    for (int i = chain.size() - 1; i >= 0; i--) {
      RelNode node = chain.get(i);
      rebuilt = node.copy(node.getTraitSet(), List.of(rebuilt));
    }
    return rebuilt;
  }
}
