package dev.streamloop.engine.sql;

import dev.streamloop.engine.StringTooLongException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * The expressions of a query that can fail on a row's values: divisions and remainders (by zero),
 * integer sums, differences and products (overflow, under ANSI rules), casts (of text that is no
 * number or date), string builders (a result beyond {@link BoundedStrings#MAX_LENGTH}). When a row
 * fails, the ones that can fail that way are named with their text and place in the SQL, as Spark's
 * errors show the failing fragment.
 */
final class FailingExpressions {
  /** One candidate, with its text as the user wrote it. */
  private record Candidate(SqlKind kind, String function, String text, SqlParserPos pos) {
    @Override
    public String toString() {
      return "\"" + text + "\" (line " + pos.getLineNum() + ", column " + pos.getColumnNum() + ")";
    }
  }

  private static final Set<SqlKind> DIVISIONS = Set.of(SqlKind.DIVIDE, SqlKind.MOD);
  private static final Set<SqlKind> OVERFLOWS =
      Set.of(SqlKind.PLUS, SqlKind.MINUS, SqlKind.TIMES, SqlKind.MINUS_PREFIX);
  private static final Set<SqlKind> KINDS =
      EnumSet.of(
          SqlKind.DIVIDE,
          SqlKind.MOD,
          SqlKind.CAST,
          SqlKind.PLUS,
          SqlKind.MINUS,
          SqlKind.TIMES,
          SqlKind.MINUS_PREFIX);

  private final List<Candidate> candidates;

  private FailingExpressions(List<Candidate> candidates) {
    this.candidates = candidates;
  }

  /** The candidates of {@code parsed}, the parse of {@code sql} (before validation rewrites it). */
  static FailingExpressions of(String sql, SqlNode parsed) {
    List<Candidate> found = new ArrayList<>();
    String[] lines = sql.split("\n", -1);
    parsed.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            SqlKind kind = call.getKind();
            String function = call.getOperator().getName().toUpperCase();
            if (KINDS.contains(kind) || SparkFunctions.NAMES.contains(function)) {
              found.add(
                  new Candidate(
                      kind,
                      function,
                      text(lines, call.getParserPosition()),
                      call.getParserPosition()));
            }
            return super.visit(call);
          }
        });
    return new FailingExpressions(found);
  }

  /** The expression(s) that can fail with {@code e}, or null. */
  String describe(RuntimeException e) {
    Set<SqlKind> kinds =
        e instanceof ArithmeticException
            ? (String.valueOf(e.getMessage()).contains("overflow") ? OVERFLOWS : DIVISIONS)
            : e instanceof NumberFormatException || e instanceof DateTimeException
                ? Set.of(SqlKind.CAST)
                : Set.of();
    List<Candidate> matching =
        e instanceof StringTooLongException tooLong
            ? candidates.stream().filter(c -> c.function().equals(tooLong.function())).toList()
            : candidates.stream().filter(c -> kinds.contains(c.kind())).toList();
    if (matching.isEmpty()) {
      return null;
    }
    return matching.size() == 1
        ? matching.get(0).toString()
        : "one of " + matching.stream().map(Candidate::toString).collect(Collectors.joining(", "));
  }

  /** The SQL between a node's start and end positions (1-based lines and columns, inclusive). */
  private static String text(String[] lines, SqlParserPos pos) {
    if (pos.getLineNum() < 1 || pos.getEndLineNum() > lines.length) {
      return "?";
    }
    if (pos.getLineNum() == pos.getEndLineNum()) {
      String line = lines[pos.getLineNum() - 1];
      return line.substring(
          Math.max(0, pos.getColumnNum() - 1), Math.min(line.length(), pos.getEndColumnNum()));
    }
    StringBuilder text =
        new StringBuilder(lines[pos.getLineNum() - 1].substring(pos.getColumnNum() - 1));
    for (int i = pos.getLineNum(); i < pos.getEndLineNum() - 1; i++) {
      text.append(' ').append(lines[i].strip());
    }
    String last = lines[pos.getEndLineNum() - 1];
    text.append(' ')
        .append(last.substring(0, Math.min(last.length(), pos.getEndColumnNum())).strip());
    return text.toString();
  }
}
