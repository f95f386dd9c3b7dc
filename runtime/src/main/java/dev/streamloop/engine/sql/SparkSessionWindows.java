package dev.streamloop.engine.sql;

import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Spark's {@code GROUP BY session_window(ts, gap)} as plain columns: the FROM gains {@code ts AS
 * session_window_start} and {@code ts + gap AS session_window_end}, each row's own session, and the
 * query groups by both. Calcite then plans an ordinary aggregation; the compiler recognises the two
 * columns among its keys by what computes them ({@link SessionColumns}: names do not survive the
 * planner) and merges the sessions that overlap, per key, across batches ({@link
 * StreamingSessionQuery}).
 */
final class SparkSessionWindows {
  static final String START = SparkQueryText.SESSION + "_start";
  static final String END = SparkQueryText.SESSION + "_end";

  private SparkSessionWindows() {}

  /** Whether {@code query} has the columns {@link #sessionFrom} adds (a session window). */
  static boolean rewritten(SqlNode query) {
    boolean[] found = {false};
    query.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlIdentifier id) {
            found[0] |= id.names.get(id.names.size() - 1).equalsIgnoreCase(END);
            return null;
          }
        });
    return found[0];
  }

  static boolean isCall(SqlNode node) {
    return node instanceof SqlBasicCall call
        && call.getOperator().getName().equalsIgnoreCase(SparkQueryText.SESSION);
  }

  /** The FROM of {@code select} with each row's session added, under the FROM's own name. */
  static SqlNode sessionFrom(SqlSelect select, SqlCall session) throws SqlCompileException {
    List<SqlNode> args = session.getOperandList();
    if (args.size() != 2 || !(args.get(0) instanceof SqlIdentifier time)) {
      throw SqlCompileException.at(
          session.getParserPosition(),
          "session_window takes an event-time column and a gap duration: session_window(ts, '5"
              + " minutes')");
    }
    if (SparkDurations.isConstant(args.get(1))) {
      long gap = SparkDurations.millis(args.get(1), "gapDuration");
      if (gap <= 0) {
        throw SqlCompileException.at(
            args.get(1).getParserPosition(),
            "the gap of session_window must be > 0 (Spark drops every row of a session with a"
                + " gap of 0 or less); give a positive duration such as '5 minutes'");
      }
      return derivedTable(select, time, gap);
    }
    throw SqlCompileException.at(
        args.get(1).getParserPosition(),
        "a session_window gap computed per row is not supported yet: give one duration, such as"
            + " session_window(ts, '5 minutes')");
  }

  private static SqlNode derivedTable(SqlSelect select, SqlIdentifier time, long gap)
      throws SqlCompileException {
    SqlNode from = select.getFrom();
    if (from instanceof SqlJoin) {
      throw SqlCompileException.at(
          time.getParserPosition(),
          "session_window over a join is not supported yet: group a single source's rows by"
              + " session, or use window(ts, duration) over the join");
    }
    for (SqlNode item : select.getSelectList()) {
      if (item instanceof SqlIdentifier id
          && id.names.get(id.names.size() - 1).equalsIgnoreCase(SparkQueryText.SESSION)) {
        throw SqlCompileException.at(
            id.getParserPosition(),
            "the session_window struct is written flat by the sinks: select session_window.start"
                + " and session_window.end (output columns start and end)");
      }
    }
    String name = null;
    if (from instanceof SqlCall as && as.getKind() == SqlKind.AS) {
      name = ((SqlIdentifier) as.operand(1)).getSimple();
      from = as.operand(0);
    } else if (from instanceof SqlIdentifier table) {
      name = table.names.get(table.names.size() - 1);
    }
    String column = SparkTimeWindows.quoted(time.names);
    String text =
        "SELECT *, "
            + column
            + " AS "
            + SparkTimeWindows.quoted(List.of(START))
            + ", "
            + column
            + " + "
            + SparkTimeWindows.interval(gap)
            + " AS "
            + SparkTimeWindows.quoted(List.of(END))
            + " FROM t AS "
            + SparkTimeWindows.quoted(List.of(name == null ? "$session" : name));
    SqlSelect sessions;
    try {
      sessions = (SqlSelect) SqlParser.create(text).parseQuery();
    } catch (SqlParseException e) {
      throw new IllegalStateException("the generated session columns do not parse: " + text, e);
    }
    ((SqlCall) sessions.getFrom()).setOperand(0, from);
    return SqlStdOperatorTable.AS.createCall(
        from.getParserPosition(),
        sessions,
        new SqlIdentifier(name == null ? "$session" : name, from.getParserPosition()));
  }
}
