package dev.streamloop.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.OutputMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spark's {@code GROUP BY window(ts, duration)} form beside Calcite's window table functions; the
 * windows it makes are checked through the loop in {@code WindowedAggregationTest}.
 */
class SparkTimeWindowsTest {
  private static final TableDefinition EVENTS =
      new TableDefinition(
          "events",
          List.of(
              new Column("ts", ColumnKind.TIMESTAMP),
              new Column("country", ColumnKind.STRING),
              new Column("v", ColumnKind.LONG)),
          "ts");

  private static BatchQuery compile(String sql) throws SqlCompileException {
    return QueryCompiler.compile(sql, List.of(EVENTS), OutputMode.APPEND);
  }

  private static List<String> names(BatchQuery query) {
    return query.outputColumns().stream().map(Column::name).toList();
  }

  @Test
  void markingKeepsTheTextsLengthAndLeavesLiteralsQuotedNamesAndCommentsAlone() {
    String sql =
        "SELECT window.start, Window . END, 'window(' AS w, \"window\" -- window(\n"
            + "FROM events GROUP BY window (ts, '1 minute')";
    SparkQueryText.Marked marked = SparkQueryText.mark(sql);
    assertThat(marked.text())
        .hasSameSizeAs(sql)
        .isEqualTo(
            "SELECT window_start, window_end  , 'window(' AS w, \"window\" -- window(\n"
                + "FROM events GROUP BY $windo (ts, '1 minute')");
    assertThat(marked.fields()).containsExactlyInAnyOrder("1:8", "1:22");
  }

  @Test
  void sparksWindowStructFieldsAreNamedAsSparkNamesThemAndTheStateIsTheTableFunctions()
      throws Exception {
    BatchQuery spark =
        compile(
            "SELECT window.start, window.end AS until, country, COUNT(*) AS c FROM events"
                + " GROUP BY window(`ts`, '10 minutes'), country");
    assertThat(names(spark)).containsExactly("start", "until", "country", "c");
    assertThat(spark.stateful()).isTrue();

    // the same operator and state as the canonical form with the same output names: a query may
    // move between the two forms and keep its state
    BatchQuery canonical =
        compile(
            "SELECT window_start AS \"start\", window_end AS until, country, COUNT(*) AS c FROM"
                + " TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '10' MINUTE))"
                + " GROUP BY window_start, window_end, country");
    assertThat(spark.stateSchema()).isEqualTo(canonical.stateSchema());

    BatchQuery interval =
        compile(
            "SELECT window.start, COUNT(*) AS c FROM events e WHERE e.v > 0"
                + " GROUP BY window(e.ts, INTERVAL '10' MINUTE), country");
    assertThat(names(interval)).containsExactly("start", "c");
    assertThat(interval.hasEventTimeKey()).isTrue();
  }

  @Test
  void whatSparkRefusesIsRefusedWithSparksReasonAndAPosition() {
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT window.start FROM events GROUP BY window(ts, '5 minutes', '10"
                        + " minutes')"))
        .hasMessageContaining("line 1, column 66")
        .hasMessageContaining(
            "[DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION] Cannot resolve window(...) due to"
                + " data type mismatch: The `slide_duration` (600000 ms) must be <= the"
                + " `window_duration` (300000 ms).");
    assertThatThrownBy(
            () -> compile("SELECT window.start FROM events GROUP BY window(ts, '1 month')"))
        .hasMessageContaining("Intervals greater than a month is not supported");
    assertThatThrownBy(
            () -> compile("SELECT window.start FROM events GROUP BY window(ts, 'ten minutes')"))
        .hasMessageContaining("'ten minutes' is not valid")
        .hasMessageContaining("'10 minutes'");
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT COUNT(*) AS c FROM events GROUP BY window(ts, '1 minute'),"
                        + " window(ts, '2 minutes')"))
        .hasMessageContaining("Multiple time/session window expressions");
    assertThatThrownBy(
            () ->
                compile("SELECT window, COUNT(*) AS c FROM events GROUP BY window(ts, '1 minute')"))
        .hasMessageContaining("line 1, column 8")
        .hasMessageContaining("select window.start and window.end");
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT COUNT(*) AS c FROM (SELECT * FROM events) GROUP BY window(ts, '1"
                        + " minute')"))
        .hasMessageContaining("FROM TABLE(TUMBLE(TABLE src");
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT COUNT(*) AS c FROM events GROUP BY session_window(ts, '5 minutes')"))
        .hasMessageContaining("Global aggregation with session window in streaming query");
  }

  @Test
  void errorsAfterAMarkedWindowStillPointIntoTheQueryAsWritten() {
    assertThatThrownBy(
            () ->
                compile(
                    "SELECT window.start, contry FROM events GROUP BY window(ts, '1 minute'),"
                        + " country"))
        .hasMessageContaining("line 1, column 22")
        .hasMessageContaining("did you mean 'country'");
    assertThatThrownBy(() -> compile("SELECT window.start FROM events GROUP BY window(ts, '1 m"))
        .hasMessageNotContaining(SparkQueryText.CALL);
  }

  @Test
  void overAJoinTheWindowWrapsTheTableItsColumnIsFrom() throws Exception {
    TableDefinition customers =
        TableDefinition.staticTable(
            "customers",
            List.of(
                new Column("country", ColumnKind.STRING), new Column("region", ColumnKind.STRING)));
    BatchQuery joined =
        QueryCompiler.compile(
            "SELECT window.start, c.region, COUNT(*) AS n FROM events e JOIN customers c"
                + " ON e.country = c.country GROUP BY window(e.ts, '10 minutes'), c.region",
            List.of(EVENTS, customers),
            OutputMode.APPEND);
    assertThat(names(joined)).containsExactly("start", "region", "n");
    // append is allowed: window_end, from below the join, is still the event-time key
    assertThat(joined.hasEventTimeKey()).isTrue();
    assertThatThrownBy(
            () ->
                QueryCompiler.compile(
                    "SELECT COUNT(*) AS n FROM events e JOIN customers c ON e.country = c.country"
                        + " GROUP BY window(ts, '10 minutes')",
                    List.of(EVENTS, customers),
                    OutputMode.APPEND))
        .hasMessageContaining("needs its event-time column with its table's name or alias");
    assertThatThrownBy(
            () ->
                QueryCompiler.compile(
                    "SELECT COUNT(*) AS n FROM events e JOIN customers c ON e.country = c.country"
                        + " GROUP BY window(x.ts, '10 minutes')",
                    List.of(EVENTS, customers),
                    OutputMode.APPEND))
        .hasMessageContaining("no table named x in the FROM's join");
  }
}
