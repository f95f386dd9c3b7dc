package dev.streamloop.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.OutputMode;
import dev.streamloop.engine.StaticTable;
import dev.streamloop.engine.StaticTablesQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A stream joined with a static table: each batch's rows against the table's snapshot. */
class StreamStaticJoinTest {
  private static final TableDefinition CLICKS =
      new TableDefinition(
          "clicks",
          List.of(
              new Column("customer_id", ColumnKind.LONG), new Column("page", ColumnKind.STRING)));
  private static final TableDefinition CLICKS_2 = new TableDefinition("clicks2", CLICKS.columns());
  private static final TableDefinition CUSTOMERS =
      TableDefinition.staticTable(
          "customers",
          List.of(new Column("id", ColumnKind.LONG), new Column("segment", ColumnKind.STRING)));

  /** A static table whose snapshot the test replaces. */
  private static final class Customers implements StaticTable {
    List<Object[]> rows = List.of(new Object[] {1L, "gold"}, new Object[] {2L, "silver"});
    int reads;

    @Override
    public String name() {
      return "customers";
    }

    @Override
    public Iterable<Object[]> rows() {
      reads++;
      return rows;
    }
  }

  private final Customers customers = new Customers();

  private BatchQuery compile(String sql, OutputMode mode) throws SqlCompileException {
    return new StaticTablesQuery(
        QueryCompiler.compile(sql, List.of(CLICKS, CLICKS_2, CUSTOMERS), mode), List.of(customers));
  }

  private static List<List<Object>> run(
      BatchQuery query, long batchTimestampMs, Object[]... clicks) {
    List<List<Object>> out = new ArrayList<>();
    for (Object[] row : query.execute(Map.of("clicks", Arrays.asList(clicks)), batchTimestampMs)) {
      out.add(Arrays.asList(row));
    }
    return out;
  }

  @Test
  void innerJoinEnrichesEachBatchWithTheCurrentSnapshot() throws Exception {
    BatchQuery query =
        compile(
            "SELECT c.page, s.segment FROM clicks c JOIN customers s ON c.customer_id = s.id",
            OutputMode.APPEND);
    assertThat(run(query, 0, new Object[] {1L, "/a"}, new Object[] {3L, "/b"}))
        .containsExactly(List.of("/a", "gold"));
    customers.rows = List.<Object[]>of(new Object[] {3L, "bronze"});
    assertThat(run(query, 1, new Object[] {1L, "/c"}, new Object[] {3L, "/d"}))
        .containsExactly(List.of("/d", "bronze"));
    assertThat(customers.reads).isEqualTo(2);
  }

  @Test
  void leftJoinKeepsStreamRowsWithoutAMatchWithNulls() throws Exception {
    BatchQuery query =
        compile(
            "SELECT c.page, s.segment FROM clicks c LEFT JOIN customers s"
                + " ON c.customer_id = s.id AND s.segment <> 'silver'",
            OutputMode.APPEND);
    assertThat(run(query, 0, new Object[] {1L, "/a"}, new Object[] {2L, "/b"}))
        .containsExactlyInAnyOrder(List.of("/a", "gold"), Arrays.asList("/b", null));
  }

  @Test
  void aSlidingWindowsRowsAreKeptWhenAStreamRowMatchesSeveralTableRows() throws Exception {
    TableDefinition events =
        new TableDefinition(
            "events",
            List.of(
                new Column("ts", ColumnKind.TIMESTAMP), new Column("customer_id", ColumnKind.LONG)),
            "ts");
    BatchQuery query =
        new StaticTablesQuery(
            QueryCompiler.compile(
                "SELECT e.window_start, s.segment FROM TABLE(HOP(TABLE events, DESCRIPTOR(ts),"
                    + " INTERVAL '10' SECOND, INTERVAL '20' SECOND)) e LEFT JOIN customers s"
                    + " ON e.customer_id = s.id",
                List.of(events, CUSTOMERS),
                OutputMode.APPEND),
            List.of(customers));
    customers.rows = List.<Object[]>of(new Object[] {1L, "gold"}, new Object[] {1L, "platinum"});
    List<List<Object>> out = new ArrayList<>();
    for (Object[] row :
        query.execute(Map.of("events", List.<Object[]>of(new Object[] {15_000L, 1L})), 0)) {
      out.add(Arrays.asList(row));
    }
    // two windows of the row, each with both matches (Calcite's HOP lost one as the probe side)
    assertThat(out)
        .containsExactlyInAnyOrder(
            List.of(0L, "gold"),
            List.of(0L, "platinum"),
            List.of(10_000L, "gold"),
            List.of(10_000L, "platinum"));
  }

  @Test
  void joinsSparkRefusesAreRefusedWithItsReason() {
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT c.page FROM customers s LEFT JOIN clicks c ON c.customer_id = s.id",
                    OutputMode.APPEND))
        .hasMessageContaining("LeftOuter join with a streaming DataFrame/Dataset on the right");
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT c.page FROM clicks c FULL JOIN customers s ON c.customer_id = s.id",
                    OutputMode.APPEND))
        .hasMessageContaining("FullOuter joins with streaming DataFrames/Datasets on the left");
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT c.page FROM clicks c RIGHT JOIN customers s ON c.customer_id = s.id",
                    OutputMode.APPEND))
        .hasMessageContaining("RightOuter join with a streaming DataFrame/Dataset on the left");
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT c.page FROM clicks c JOIN clicks2 d ON c.customer_id = d.customer_id",
                    OutputMode.APPEND))
        .hasMessageContaining("no watermarked event-time column");
  }
}
