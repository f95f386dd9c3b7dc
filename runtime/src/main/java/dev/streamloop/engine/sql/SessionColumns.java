package dev.streamloop.engine.sql;

import dev.streamloop.engine.OutputMode;
import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * Where an aggregation's group columns hold a session window ({@link SparkSessionWindows} put them
 * there): the start and end of each row's own session among the group columns, and the gap.
 *
 * @param start The session start's group column.
 * @param end The session end's group column.
 * @param gapMs The gap, as the plan computes the end.
 */
record SessionColumns(int start, int end, long gapMs) {

  /**
   * The session columns of {@code aggregate}, or null when it groups by no session window: in a
   * query that {@link SparkSessionWindows} rewrote ({@code rewritten}), the group column that is an
   * event-time column plus the gap (the end) and the one that is that column itself (the start).
   * Refuses what Spark refuses with session windows.
   */
  static SessionColumns find(Aggregate aggregate, OutputMode mode, boolean rewritten)
      throws SqlCompileException {
    if (!rewritten || !(aggregate.getInput() instanceof Project project)) {
      return null;
    }
    List<RexNode> keys = project.getProjects().subList(0, aggregate.getGroupCount());
    for (int end = 0; end < keys.size(); end++) {
      if (keys.get(end) instanceof RexCall plus
          && plus.getKind() == SqlKind.PLUS
          && plus.getOperands().get(0) instanceof RexInputRef time
          && plus.getOperands().get(1) instanceof RexLiteral gap) {
        int start = keys.indexOf(time);
        if (start >= 0) {
          check(aggregate, mode);
          return new SessionColumns(start, end, gap.getValueAs(BigDecimal.class).longValue());
        }
      }
    }
    return null;
  }

  private static void check(Aggregate aggregate, OutputMode mode) throws SqlCompileException {
    if (aggregate.getGroupCount() == 2) {
      throw new SqlCompileException(
          "Global aggregation with session window in streaming query is not supported: group by"
              + " a key as well, such as GROUP BY session_window(ts, '5 minutes'), user",
          0,
          0,
          null);
    }
    if (mode == OutputMode.UPDATE) {
      throw new SqlCompileException(
          "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update."
              + " This output mode is not supported for session window streaming aggregations on"
              + " streaming DataFrames/DataSets; use append (a session is emitted once the"
              + " watermark passes its end) or complete",
          0,
          0,
          null);
    }
  }

  /** How the state schema names the window: the gap, so that a changed gap is noticed. */
  String description() {
    return "SESSION[" + gapMs + " ms]";
  }
}
