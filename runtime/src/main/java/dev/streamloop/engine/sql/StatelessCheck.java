package dev.streamloop.engine.sql;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Window;

/**
 * Rejects what a stateless micro-batch (or the stateless part below a streaming aggregation) cannot
 * compute correctly: each batch sees only its own rows, so further aggregations, joins of two
 * streams, sorting and de-duplicating unions would give per-batch answers. Messages follow Spark's
 * where Spark has one.
 */
final class StatelessCheck extends RelVisitor {
  private SqlCompileException problem;

  static void check(RelNode plan) throws SqlCompileException {
    StatelessCheck check = new StatelessCheck();
    check.go(plan);
    if (check.problem != null) {
      throw check.problem;
    }
  }

  @Override
  public void visit(RelNode node, int ordinal, RelNode parent) {
    String reason = null;
    if (node instanceof Aggregate) {
      // only the part of a query below its one streaming aggregation is checked here
      reason =
          "Multiple streaming aggregations are not supported with streaming DataFrames/Datasets";
    } else if (node instanceof TableFunctionScan scan
        && scan.getCall() instanceof org.apache.calcite.rex.RexCall call
        && call.getOperator().getName().equalsIgnoreCase("SESSION")) {
      reason =
          "session windows are not supported on streams by this runner (a session can span"
              + " batches); use TUMBLE or HOP windows";
    } else if (node instanceof Window) {
      reason = "window functions (OVER) are not supported on streams";
    } else if (node instanceof Join || node instanceof Correlate) {
      reason = "joins between streams are not supported; read one source per query";
    } else if (node instanceof Sort) {
      reason =
          "Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated"
              + " DataFrame/Dataset in Complete output mode (remove ORDER BY, LIMIT or OFFSET)";
    } else if (node instanceof Union union && !union.all) {
      reason = "UNION (distinct) needs state; use UNION ALL";
    } else if (node instanceof Intersect || node instanceof Minus) {
      reason = "INTERSECT and EXCEPT need state and are not supported on streams";
    }
    if (reason != null && problem == null) {
      problem = new SqlCompileException(reason, 0, 0, null);
    }
    super.visit(node, ordinal, parent);
  }
}
