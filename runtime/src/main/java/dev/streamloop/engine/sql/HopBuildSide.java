package dev.streamloop.engine.sql;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.rules.JoinCommuteRule;
import org.apache.calcite.rex.RexCall;

/**
 * Puts the rows of a sliding window (HOP) on the build side of a join. Calcite's HOP enumerator
 * hands out the next window of a row at every {@code current()}, and its hash join asks the probe
 * side's {@code current()} once per match: a row of the stream that matched two rows of a static
 * table lost windows. A join whose left (probe) side holds a HOP is swapped (JoinCommuteRule: a
 * LEFT join becomes a RIGHT join, with a projection that restores the column order), so that the
 * HOP's rows are read once each into the lookup.
 */
final class HopBuildSide extends RelShuttleImpl {
  private HopBuildSide() {}

  static RelNode apply(RelNode plan) {
    return plan.accept(new HopBuildSide());
  }

  @Override
  public RelNode visit(LogicalJoin join) {
    RelNode visited = super.visit(join);
    if (visited instanceof Join rebuilt
        && hasHop(rebuilt.getLeft())
        && !hasHop(rebuilt.getRight())) {
      RelNode swapped =
          JoinCommuteRule.swap(
              rebuilt, true, RelFactories.LOGICAL_BUILDER.create(rebuilt.getCluster(), null));
      if (swapped != null) {
        return swapped;
      }
    }
    return visited;
  }

  private static boolean hasHop(RelNode node) {
    if (node instanceof TableFunctionScan scan
        && scan.getCall() instanceof RexCall call
        && call.getOperator().getName().equalsIgnoreCase("HOP")) {
      return true;
    }
    for (RelNode input : node.getInputs()) {
      if (hasHop(input)) {
        return true;
      }
    }
    return false;
  }
}
