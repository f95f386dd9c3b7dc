package dev.streamloop.engine.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rex.RexInputRef;

/**
 * Where a query's plan splits for a streaming aggregation: the one Aggregate, what computes its
 * input (stateless, checked like any stateless query), and what runs over its groups (projections,
 * HAVING filters, and a sort where the output mode allows one).
 */
final class AggregateSplit {
  private AggregateSplit() {}

  /** The plan's Aggregate, or null; refuses plans a stream cannot keep state for. */
  static Aggregate find(RelNode plan) throws SqlCompileException {
    RelNode node = plan;
    while (node instanceof Project || node instanceof Filter || node instanceof Sort) {
      node = node.getInput(0);
    }
    if (node instanceof Aggregate aggregate) {
      if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
        throw error("GROUPING SETS, ROLLUP and CUBE are not supported on streams; use GROUP BY");
      }
      if (contains(aggregate.getInput(), Aggregate.class)) {
        throw error(
            "Multiple streaming aggregations are not supported with streaming"
                + " DataFrames/Datasets; aggregate once");
      }
      return aggregate;
    }
    if (contains(plan, Aggregate.class)) {
      throw error(
          "an aggregation under a join, union or subquery is not supported on streams;"
              + " aggregate at the top of the query");
    }
    return null;
  }

  /** {@code plan} with the Aggregate replaced by a scan of {@code groups}. */
  static RelNode above(RelNode plan, Aggregate aggregate, RelOptTable groups) {
    List<RelNode> chain = new ArrayList<>();
    for (RelNode node = plan; node != aggregate; node = node.getInput(0)) {
      chain.add(node);
    }
    RelNode rebuilt = LogicalTableScan.create(aggregate.getCluster(), groups, List.of());
    for (int i = chain.size() - 1; i >= 0; i--) {
      RelNode node = chain.get(i);
      rebuilt = node.copy(node.getTraitSet(), List.of(rebuilt));
    }
    return rebuilt;
  }

  /**
   * The name a column of {@code rel} has where it comes from, through projections that only pass it
   * on and filters: an alias in the SELECT names the Aggregate's group columns, but an event-time
   * key is known by its source's name (window_end, the watermarked column).
   */
  static String sourceName(RelNode rel, int field) {
    if (rel instanceof Project project
        && project.getProjects().get(field) instanceof RexInputRef ref) {
      return sourceName(project.getInput(), ref.getIndex());
    }
    if (rel instanceof Filter filter) {
      return sourceName(filter.getInput(), field);
    }
    return rel.getRowType().getFieldNames().get(field);
  }

  /** Whether {@code plan} sorts above the aggregation (ORDER BY, LIMIT). */
  static boolean sorts(RelNode plan) {
    return contains(plan, Sort.class);
  }

  private static boolean contains(RelNode node, Class<?> type) {
    if (type.isInstance(node)) {
      return true;
    }
    for (RelNode input : node.getInputs()) {
      if (contains(input, type)) {
        return true;
      }
    }
    return false;
  }

  private static SqlCompileException error(String message) {
    return new SqlCompileException(message, 0, 0, null);
  }
}
