package dev.streamloop.engine.sql;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexUtil;

/**
 * Rejects what a stateless micro-batch (or the stateless part below a streaming aggregation) cannot
 * compute correctly: each batch sees only its own rows, so further aggregations, joins of two
 * streams, sorting and de-duplicating unions would give per-batch answers. Messages follow Spark's
 * where Spark has one.
 */
final class StatelessCheck extends RelVisitor {
  private SqlCompileException problem;

  private final boolean wholeQuery;

  /**
   * The stateful operator's node the whole query may hold: the projection whose ROW_NUMBER()
   * deduplicates ({@link DeduplicateSplit}) or the join of two streams ({@link StreamJoinSplit});
   * or null.
   */
  private final RelNode operator;

  private StatelessCheck(boolean wholeQuery, RelNode operator) {
    this.wholeQuery = wholeQuery;
    this.operator = operator;
  }

  static void check(RelNode plan) throws SqlCompileException {
    StatelessCheck check = new StatelessCheck(false, null);
    check.go(plan);
    if (check.problem != null) {
      throw check.problem;
    }
  }

  /**
   * What no part of a streaming query may hold, aggregation or not: window functions (OVER), joins
   * and subqueries (which Calcite turns into joins), INTERSECT and EXCEPT. Checked first, so such a
   * query gets Spark's reason instead of the planner's "cannot plan".
   */
  static void checkWholeQuery(RelNode plan, RelNode operator) throws SqlCompileException {
    StatelessCheck check = new StatelessCheck(true, operator);
    check.go(plan);
    if (check.problem != null) {
      throw check.problem;
    }
  }

  @Override
  public void visit(RelNode node, int ordinal, RelNode parent) {
    String reason = null;
    if (wholeQuery) {
      if (node instanceof Window
          || node instanceof Project project
              && node != operator
              && RexOver.containsOver(project.getProjects(), null)
          || node instanceof Filter filter && RexOver.containsOver(filter.getCondition())) {
        reason =
            "[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported on"
                + " streaming DataFrames/Datasets (OVER); to drop duplicate rows, keep ROW_NUMBER()"
                + " OVER (PARTITION BY <keys> ORDER BY <event-time column>) = 1 at the top of the"
                + " query";
      } else if (node instanceof Join join && node != operator) {
        reason = StreamStaticJoins.problem(join);
      } else if (node instanceof Correlate
          || node instanceof Filter filter && RexUtil.SubQueryFinder.containsSubQuery(filter)
          || node instanceof Project project && RexUtil.SubQueryFinder.containsSubQuery(project)) {
        reason =
            "subqueries (IN (SELECT ...), EXISTS, scalar subqueries) are not supported on"
                + " streams; join a static table instead (JOIN ... ON)";
      } else if (node instanceof Intersect || node instanceof Minus) {
        reason = "INTERSECT and EXCEPT need state and are not supported on streams";
      }
    } else if (node instanceof Aggregate) {
      // only the part of a query below its one streaming aggregation is checked here
      reason =
          "Multiple streaming aggregations are not supported with streaming DataFrames/Datasets";
    } else if (node instanceof TableFunctionScan scan
        && scan.getCall() instanceof org.apache.calcite.rex.RexCall call
        && call.getOperator().getName().equalsIgnoreCase("SESSION")) {
      reason =
          "session windows are not supported as the SESSION table function on streams: group"
              + " by Spark's session_window(ts, gap) and a key instead, such as GROUP BY user,"
              + " session_window(ts, '5 minutes')";
    } else if (node instanceof Window) {
      reason = "window functions (OVER) are not supported on streams";
    } else if (node instanceof Join join) {
      reason = StreamStaticJoins.problem(join);
    } else if (node instanceof Correlate) {
      reason = "subqueries are not supported on streams; join a static table instead";
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
