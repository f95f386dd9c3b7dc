package dev.streamloop.engine.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Spark's event-time grouping form, {@code GROUP BY window(ts, '10 minutes'[, slide[, start]])}
 * with the struct fields {@code window.start} and {@code window.end}, mapped onto the canonical
 * table-function form: the FROM becomes {@code TABLE(TUMBLE(...))} (or HOP when the slide differs
 * from the size), the window call becomes {@code window_start, window_end}, and {@code
 * window.start}/{@code window.end} become those columns (named {@code start}/{@code end} in the
 * output, as Spark names a selected struct field), in the parse of the text {@link SparkQueryText}
 * marked. {@code session_window(ts, gap)} becomes two such columns too ({@link
 * SparkSessionWindows}).
 */
final class SparkTimeWindows {
  private SparkTimeWindows() {}

  /**
   * Rewrites each SELECT grouped by a marked {@code window(...)} into the table-function form, in
   * place; refuses what Spark refuses and what the table functions cannot express.
   */
  static SqlNode rewrite(SqlNode parsed, SparkQueryText.Marked marked) throws SqlCompileException {
    if (!marked.text().contains(SparkQueryText.CALL)
        && marked.fields().isEmpty()
        && !marked.text().toLowerCase(Locale.ROOT).contains("session_window")) {
      return parsed;
    }
    List<SqlSelect> selects = new ArrayList<>();
    parsed.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect select) {
              selects.add(select);
            }
            return super.visit(call);
          }
        });
    for (SqlSelect select : selects) {
      rewriteSelect(select, marked.fields());
    }
    refuseLeftovers(parsed);
    return parsed;
  }

  private static void rewriteSelect(SqlSelect select, Set<String> fields)
      throws SqlCompileException {
    SqlNodeList group = select.getGroup();
    if (group == null) {
      return;
    }
    SqlCall window = null;
    List<SqlNode> keys = new ArrayList<>();
    for (SqlNode key : group) {
      boolean session = SparkSessionWindows.isCall(key);
      if (session || isWindowCall(key)) {
        if (window != null) {
          throw SqlCompileException.at(
              key.getParserPosition(),
              "Multiple time/session window expressions would result in a cartesian product of"
                  + " rows, therefore they are currently not supported.");
        }
        window = (SqlCall) key;
        String prefix = session ? SparkQueryText.SESSION : "window";
        keys.add(new SqlIdentifier(prefix + "_start", key.getParserPosition()));
        keys.add(new SqlIdentifier(prefix + "_end", key.getParserPosition()));
      } else {
        keys.add(key);
      }
    }
    if (window == null) {
      return;
    }
    select.setFrom(
        SparkSessionWindows.isCall(window)
            ? SparkSessionWindows.sessionFrom(select, window)
            : windowedFrom(select.getFrom(), window));
    select.setGroupBy(new SqlNodeList(keys, group.getParserPosition()));
    SqlNodeList items = select.getSelectList();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof SqlIdentifier id
          && id.isSimple()
          && fields.contains(position(id.getParserPosition()))) {
        String field = id.getSimple().substring(id.getSimple().lastIndexOf('_') + 1);
        items.set(
            i,
            SqlStdOperatorTable.AS.createCall(
                id.getParserPosition(), id, new SqlIdentifier(field, id.getParserPosition())));
      }
    }
  }

  /**
   * The FROM of one table, as Calcite's TUMBLE or HOP over it; the table's name stays its alias.
   */
  private static SqlNode windowedFrom(SqlNode from, SqlCall window) throws SqlCompileException {
    if (from instanceof SqlJoin join) {
      windowJoinedTable(join, window);
      return join;
    }
    SqlNode table = from;
    String alias = null;
    if (from instanceof SqlCall as && as.getKind() == SqlKind.AS) {
      table = as.operand(0);
      alias = ((SqlIdentifier) as.operand(1)).getSimple();
    }
    if (!(table instanceof SqlIdentifier name)) {
      throw SqlCompileException.at(
          window.getParserPosition(),
          "GROUP BY window(...) needs a FROM of sources and joins; over a subquery, write the"
              + " window as a table function: FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts),"
              + " INTERVAL '10' MINUTE))");
    }
    List<SqlNode> args = window.getOperandList();
    if (args.size() < 2 || args.size() > 4 || !(args.get(0) instanceof SqlIdentifier time)) {
      throw SqlCompileException.at(
          window.getParserPosition(),
          "window takes an event-time column and a duration, then optionally a slide duration and"
              + " a start time: window(ts, '10 minutes'[, '5 minutes'[, '1 minute']])");
    }
    long size = SparkDurations.millis(args.get(1), "windowDuration");
    long slide = args.size() > 2 ? SparkDurations.millis(args.get(2), "slideDuration") : size;
    long start = args.size() > 3 ? SparkDurations.millis(args.get(3), "startTime") : 0;
    if (size <= 0) {
      throw constraint(args.get(1), "The `window_duration` (" + size + " ms) must be > 0.");
    }
    if (slide <= 0) {
      throw constraint(args.get(2), "The `slide_duration` (" + slide + " ms) must be > 0.");
    }
    if (slide > size) {
      throw constraint(
          args.get(2),
          "The `slide_duration` ("
              + slide
              + " ms) must be <= the `window_duration` ("
              + size
              + " ms).");
    }
    if (Math.abs(start) >= slide) {
      throw constraint(
          args.get(3),
          "The absolute value of the `start_time` ("
              + start
              + " ms) must be < the `slide_duration` ("
              + slide
              + " ms).");
    }
    String source = quoted(name.names);
    String column = quoted(List.of(time.names.get(time.names.size() - 1)));
    // a start time shifts the windows by itself modulo the slide: Calcite's offset is positive
    long shift = Math.floorMod(start, slide);
    String offset = shift == 0 ? "" : ", " + interval(shift);
    String function =
        slide == size
            ? "TUMBLE(TABLE " + source + ", DESCRIPTOR(" + column + "), " + interval(size)
            : "HOP(TABLE "
                + source
                + ", DESCRIPTOR("
                + column
                + "), "
                + interval(slide)
                + ", "
                + interval(size);
    String text =
        "SELECT * FROM TABLE("
            + function
            + offset
            + ")) AS "
            + quoted(List.of(alias != null ? alias : name.names.get(name.names.size() - 1)));
    try {
      return ((SqlSelect) SqlParser.create(text).parseQuery()).getFrom();
    } catch (SqlParseException e) {
      throw new IllegalStateException("the generated window does not parse: " + text, e);
    }
  }

  /**
   * Over a join, the table whose column the window names ({@code window(e.ts, ...)}: the one named
   * or aliased {@code e}) becomes the window table function; the other tables stay as they are.
   */
  private static void windowJoinedTable(SqlJoin join, SqlCall window) throws SqlCompileException {
    SqlNode time = window.getOperandList().isEmpty() ? null : window.getOperandList().get(0);
    if (!(time instanceof SqlIdentifier column) || column.names.size() < 2) {
      throw SqlCompileException.at(
          window.getParserPosition(),
          "over a join, window(...) needs its event-time column with its table's name or alias,"
              + " such as window(e.ts, '10 minutes')");
    }
    String table = column.names.get(column.names.size() - 2);
    if (!replaceTable(join, table, window)) {
      throw SqlCompileException.at(
          column.getParserPosition(),
          "window(" + column + ", ...): no table named " + table + " in the FROM's join");
    }
  }

  private static boolean replaceTable(SqlJoin join, String table, SqlCall window)
      throws SqlCompileException {
    for (int operand : new int[] {0, 3}) { // SqlJoin's left and right operands
      SqlNode side = join.getOperandList().get(operand);
      if (side instanceof SqlJoin inner) {
        if (replaceTable(inner, table, window)) {
          return true;
        }
      } else if (table.equalsIgnoreCase(referenceName(side))) {
        join.setOperand(operand, windowedFrom(side, window));
        return true;
      }
    }
    return false;
  }

  /** The name a FROM item is known by: its alias, or the table's own name; null if neither. */
  private static String referenceName(SqlNode item) {
    if (item instanceof SqlCall as && as.getKind() == SqlKind.AS) {
      return ((SqlIdentifier) as.operand(1)).getSimple();
    }
    return item instanceof SqlIdentifier name ? name.names.get(name.names.size() - 1) : null;
  }

  /** Refuses a {@code window} left over: a bare struct, or a window call outside GROUP BY. */
  private static void refuseLeftovers(SqlNode parsed) throws SqlCompileException {
    List<SqlParserPos> found = new ArrayList<>();
    parsed.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlIdentifier id) {
            if (id.names.contains(SparkQueryText.CALL)) {
              found.add(id.getParserPosition());
            }
            return null;
          }

          @Override
          public Void visit(SqlCall call) {
            if (isWindowCall(call)) {
              found.add(call.getParserPosition());
            }
            return super.visit(call);
          }
        });
    if (!found.isEmpty()) {
      throw SqlCompileException.at(
          found.get(0),
          "the window struct is written flat by the sinks: select window.start and window.end"
              + " (output columns start and end), and put window(ts, duration) in GROUP BY only");
    }
  }

  private static boolean isWindowCall(SqlNode node) {
    return node instanceof SqlBasicCall call
        && call.getOperator().getName().equals(SparkQueryText.CALL);
  }

  /** Spark 4's error class for a window() argument out of its range. */
  private static SqlCompileException constraint(SqlNode argument, String message) {
    return SqlCompileException.at(
        argument.getParserPosition(),
        "[DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION] Cannot resolve window(...) due to data"
            + " type mismatch: "
            + message);
  }

  private static String position(SqlParserPos pos) {
    return pos.getLineNum() + ":" + pos.getColumnNum();
  }

  /** A positive duration as an interval literal. */
  static String interval(long millis) {
    return "INTERVAL '"
        + (millis / 1000)
        + "."
        + String.format(Locale.ROOT, "%03d", millis % 1000)
        + "' SECOND(10, 3)";
  }

  static String quoted(List<String> names) {
    return String.join(
        ".", names.stream().map(n -> "\"" + n.replace("\"", "\"\"") + "\"").toList());
  }
}
