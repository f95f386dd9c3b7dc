package dev.streamloop.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryCompilerTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final TableDefinition ORDERS =
      new TableDefinition(
          "orders",
          List.of(
              new Column("ts", ColumnKind.TIMESTAMP),
              new Column("country", ColumnKind.STRING),
              new Column("amount", ColumnKind.DOUBLE)));
  private static final List<Object[]> ROWS =
      List.of(
          new Object[] {T0, "DE", 700.0},
          new Object[] {T0 + 1, "FR", 20.5},
          new Object[] {T0 + 2, "US", 999.99});

  private static List<List<Object>> run(BatchQuery q, Map<String, Iterable<Object[]>> in, long ts) {
    List<List<Object>> out = new ArrayList<>();
    q.execute(in, ts).forEach(r -> out.add(List.of(r)));
    return out;
  }

  @Test
  void filtersAndProjectsWithExpressionsCastAndCase() throws Exception {
    BatchQuery q =
        QueryCompiler.compile(
            "SELECT UPPER(Country) AS c, CAST(amount * 100 AS BIGINT) AS cents,\n"
                + " CASE WHEN amount > 900 THEN 'big' ELSE 'mid' END AS size\n"
                + "FROM orders WHERE amount >= 500",
            List.of(ORDERS));

    assertThat(q.outputColumns()).extracting(Column::name).containsExactly("c", "cents", "size");
    assertThat(run(q, Map.of("orders", ROWS), T0))
        .containsExactly(List.of("DE", 70000L, "mid"), List.of("US", 99999L, "big"));
  }

  @Test
  void theSameCompiledQueryServesEveryBatch() throws Exception {
    BatchQuery q = QueryCompiler.compile("SELECT country FROM orders", List.of(ORDERS));

    assertThat(run(q, Map.of("orders", ROWS.subList(0, 1)), T0)).containsExactly(List.of("DE"));
    assertThat(run(q, Map.of("orders", ROWS.subList(1, 3)), T0))
        .containsExactly(List.of("FR"), List.of("US"));
  }

  @Test
  void currentTimestampIsTheBatchTimestamp() throws Exception {
    BatchQuery q =
        QueryCompiler.compile(
            "SELECT CURRENT_TIMESTAMP AS now, country FROM orders", List.of(ORDERS));

    List<List<Object>> first = run(q, Map.of("orders", ROWS.subList(0, 1)), T0 + 5_000);
    List<List<Object>> replay = run(q, Map.of("orders", ROWS.subList(0, 1)), T0 + 5_000);

    assertThat(first).isEqualTo(replay);
    assertThat(first.get(0).get(0)).isEqualTo(T0 + 5_000);
  }

  @Test
  void unionAllOfTwoSources() throws Exception {
    TableDefinition other = new TableDefinition("refunds", ORDERS.columns());
    BatchQuery q =
        QueryCompiler.compile(
            "SELECT country FROM orders UNION ALL SELECT country FROM refunds",
            List.of(ORDERS, other));

    assertThat(run(q, Map.of("orders", ROWS.subList(0, 1), "refunds", ROWS.subList(2, 3)), T0))
        .containsExactlyInAnyOrder(List.of("DE"), List.of("US"));
  }

  @Test
  void unknownColumnGivesLineColumnAndSuggestion() {
    assertThatThrownBy(
            () -> QueryCompiler.compile("SELECT ts,\n  contry FROM orders", List.of(ORDERS)))
        .isInstanceOf(SqlCompileException.class)
        .hasMessageContaining("line 2, column 3")
        .hasMessageContaining("contry")
        .hasMessageContaining("did you mean 'country'?");
  }

  @Test
  void unknownTableGivesSuggestion() {
    assertThatThrownBy(() -> QueryCompiler.compile("SELECT ts FROM order_s", List.of(ORDERS)))
        .isInstanceOf(SqlCompileException.class)
        .hasMessageContaining("line 1, column 16")
        .hasMessageContaining("did you mean 'orders'?");
  }

  @Test
  void syntaxErrorGivesPosition() {
    assertThatThrownBy(() -> QueryCompiler.compile("SELECT ts FROM orders WHERE", List.of(ORDERS)))
        .isInstanceOf(SqlCompileException.class)
        .hasMessageContaining("line 1, column");
  }

  @Test
  void tumblingAndHoppingWindowsAssignEachRowItsWindows() throws Exception {
    TableDefinition events =
        new TableDefinition(
            "events",
            List.of(new Column("ts", ColumnKind.TIMESTAMP), new Column("v", ColumnKind.LONG)));
    BatchQuery tumble =
        QueryCompiler.compile(
            "SELECT window_start, window_end, v FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts),"
                + " INTERVAL '1' MINUTE))",
            List.of(events));
    BatchQuery hop =
        QueryCompiler.compile(
            "SELECT window_start, v FROM TABLE(HOP(TABLE events, DESCRIPTOR(ts),"
                + " INTERVAL '30' SECOND, INTERVAL '1' MINUTE))",
            List.of(events));
    Map<String, Iterable<Object[]>> input =
        Map.of("events", List.<Object[]>of(new Object[] {90_000L, 1L}));

    assertThat(run(tumble, input, T0)).containsExactly(List.of(60_000L, 120_000L, 1L));
    assertThatThrownBy(
            () ->
                QueryCompiler.compile(
                    "SELECT window_start, COUNT(*) AS c FROM TABLE(SESSION(TABLE events,"
                        + " DESCRIPTOR(ts), DESCRIPTOR(v), INTERVAL '10' SECOND))"
                        + " GROUP BY window_start",
                    List.of(events),
                    dev.streamloop.engine.OutputMode.UPDATE))
        .hasMessageContaining("session windows are not supported");
    assertThat(run(hop, input, T0))
        .containsExactlyInAnyOrder(List.of(60_000L, 1L), List.of(90_000L, 1L)); // end exclusive
  }

  @Test
  void anAggregationCompilesToAStatefulQueryAndNestedOnesAreRefused() throws Exception {
    assertThat(
            QueryCompiler.compile(
                    "SELECT country, COUNT(*) AS c FROM orders GROUP BY country",
                    List.of(ORDERS),
                    dev.streamloop.engine.OutputMode.UPDATE)
                .stateful())
        .isTrue();
    assertThat(QueryCompiler.compile("SELECT country FROM orders", List.of(ORDERS)).stateful())
        .isFalse();
    assertThatThrownBy(
            () ->
                QueryCompiler.compile(
                    "SELECT c, COUNT(*) FROM (SELECT country, COUNT(*) AS c FROM orders"
                        + " GROUP BY country) GROUP BY c",
                    List.of(ORDERS)))
        .isInstanceOf(SqlCompileException.class)
        .hasMessageContaining("Multiple streaming aggregations are not supported");
    assertThatThrownBy(
            () ->
                QueryCompiler.compile(
                    "SELECT country FROM orders UNION ALL SELECT country FROM orders"
                        + " GROUP BY country",
                    List.of(ORDERS)))
        .isInstanceOf(SqlCompileException.class)
        .hasMessageContaining("aggregate at the top of the query");
  }

  @Test
  void jsonAndDateFunctions() throws Exception {
    TableDefinition events =
        new TableDefinition(
            "events",
            List.of(
                new Column("payload", ColumnKind.STRING), new Column("ts", ColumnKind.TIMESTAMP)));
    BatchQuery q =
        QueryCompiler.compile(
            "SELECT JSON_VALUE(payload, '$.user') AS u, EXTRACT(YEAR FROM ts) AS y,"
                + " FLOOR(ts TO HOUR) AS h FROM events",
            List.of(events));

    List<List<Object>> out =
        run(q, Map.of("events", List.<Object[]>of(new Object[] {"{\"user\":\"ann\"}", T0})), T0);

    assertThat(out).containsExactly(List.of("ann", 2023L, T0 - T0 % 3_600_000));
  }
}
