package dev.streamloop.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.StringTooLongException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Queries that used to crash the runner (probes S-08, S-09, S-11, S-12, S-15): each is now a
 * compile error with a reason, or an evaluation error naming the expression.
 */
class QueryLimitsTest {
  private static final TableDefinition TICKS =
      new TableDefinition(
          "ticks",
          List.of(
              new Column("timestamp", ColumnKind.TIMESTAMP), new Column("value", ColumnKind.LONG)));

  private static List<List<Object>> run(BatchQuery q, long... values) {
    List<Object[]> rows = new ArrayList<>();
    for (long v : values) {
      rows.add(new Object[] {0L, v});
    }
    List<List<Object>> out = new ArrayList<>();
    q.execute(Map.of("ticks", rows), 0).forEach(r -> out.add(List.of(r)));
    return out;
  }

  @Test
  void aUnionOfManyBranchesIsRefusedWithItsLimitNotAStackOverflow() {
    String sql =
        String.join(" UNION ALL ", Collections.nCopies(1000, "SELECT \"value\" FROM ticks"));

    assertThatThrownBy(() -> QueryCompiler.compile(sql, List.of(TICKS)))
        .isInstanceOf(SqlCompileException.class)
        .hasMessageContaining(
            "chains more than " + QueryShape.MAX_SET_OPERATIONS + " set operations");
  }

  @Test
  void deeplyNestedParenthesesAreRefusedWithTheirPosition() {
    String sql = "SELECT " + "(".repeat(2000) + "\"value\"" + ")".repeat(2000) + " AS x FROM ticks";

    assertThatThrownBy(() -> QueryCompiler.compile(sql, List.of(TICKS)))
        .isInstanceOf(SqlCompileException.class)
        .hasMessageContaining("line 1, column " + (8 + QueryShape.MAX_DEPTH))
        .hasMessageContaining("nest more than " + QueryShape.MAX_DEPTH + " deep");
  }

  @Test
  void aSumOfThousandsOfTermsIsRefusedBeforeItExhaustsTheHeap() {
    String sql =
        "SELECT " + String.join(" + ", Collections.nCopies(5000, "\"value\"")) + " AS x FROM ticks";

    assertThatThrownBy(() -> QueryCompiler.compile(sql, List.of(TICKS)))
        .isInstanceOf(SqlCompileException.class)
        .hasMessageContaining("more than " + QueryShape.MAX_OPERATORS + " operators");
  }

  @Test
  void queriesAtTheLimitsStillCompileAndRun() throws Exception {
    String union =
        String.join(
            " UNION ALL ",
            Collections.nCopies(QueryShape.MAX_SET_OPERATIONS + 1, "SELECT \"value\" FROM ticks"));
    String nested =
        "SELECT "
            + "(".repeat(QueryShape.MAX_DEPTH)
            + "\"value\""
            + ")".repeat(QueryShape.MAX_DEPTH)
            + " AS x FROM ticks";
    String longSum =
        "SELECT "
            + String.join(" + ", Collections.nCopies(QueryShape.MAX_OPERATORS + 1, "\"value\""))
            + " AS x FROM ticks";

    assertThat(run(QueryCompiler.compile(union, List.of(TICKS)), 1))
        .hasSize(QueryShape.MAX_SET_OPERATIONS + 1);
    assertThat(run(QueryCompiler.compile(nested, List.of(TICKS)), 7)).containsExactly(List.of(7L));
    assertThat(run(QueryCompiler.compile(longSum, List.of(TICKS)), 2))
        .containsExactly(List.of(2L * (QueryShape.MAX_OPERATORS + 1)));
  }

  @Test
  void stringBuildersGiveSparksResultsWithinTheirBound() throws Exception {
    BatchQuery q =
        QueryCompiler.compile(
            "SELECT REPEAT('ab', \"value\") AS r, SPACE(\"value\") AS s,"
                + " LPAD('hi', CAST(\"value\" AS INTEGER) + 2, '?!') AS l,"
                + " RPAD('hello', 3) AS cut, LPAD('hi', 5, '') AS nopad FROM ticks",
            List.of(TICKS));

    assertThat(run(q, 3)).containsExactly(List.of("ababab", "   ", "?!?hi", "hel", "hi"));
    // LPAD to length 1 cuts, as Spark's does
    assertThat(run(q, -1)).containsExactly(List.of("", "", "h", "hel", "hi"));
  }

  @Test
  void aStringBuilderAskedForTooMuchFailsNamingTheExpression() throws Exception {
    BatchQuery q =
        QueryCompiler.compile("SELECT REPEAT('x', \"value\") AS x FROM ticks", List.of(TICKS));

    assertThatThrownBy(() -> run(q, 2_000_000_000L))
        .isInstanceOf(StringTooLongException.class)
        .hasMessageContaining("REPEAT would build a string of 2000000000 characters");
    assertThat(q.failingExpression(new StringTooLongException("REPEAT", 1, 1)))
        .contains("REPEAT('x', \"value\")");
  }

  @Test
  void windowFunctionsAndSubqueriesGetSparksReason() {
    assertThatThrownBy(
            () ->
                QueryCompiler.compile(
                    "SELECT \"value\", SUM(\"value\") OVER (ORDER BY \"timestamp\") AS s FROM ticks",
                    List.of(TICKS)))
        .hasMessageContaining("[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING]");
    assertThatThrownBy(
            () ->
                QueryCompiler.compile(
                    "SELECT \"value\" FROM ticks WHERE \"value\" IN (SELECT \"value\" FROM ticks"
                        + " WHERE \"value\" > 3)",
                    List.of(TICKS)))
        .hasMessageContaining("subqueries");
  }

  @Test
  void twoOutputColumnsOfOneNameAreRefused() {
    assertThatThrownBy(
            () ->
                QueryCompiler.compile(
                    "SELECT \"value\" AS a, \"timestamp\" AS A FROM ticks", List.of(TICKS)))
        .hasMessageContaining("Found duplicate column(s) in the result: \"A\"");
  }
}
