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

/**
 * Spark's functions as a query uses them, with the results Spark 4 gives in session time zone UTC
 * (the values below are Spark's: 1,700,000,000,000 ms is 2023-11-14 22:13:20 UTC). The runner sets
 * its JVM's zone to UTC before Calcite loads (Calcite fixes the zone it shifts timestamps by when
 * it loads); the functions undo that shift in any fixed zone.
 */
class SparkFunctionsTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final TableDefinition EVENTS =
      new TableDefinition(
          "events",
          List.of(
              new Column("ts", ColumnKind.TIMESTAMP),
              new Column("line", ColumnKind.STRING),
              new Column("amount", ColumnKind.DOUBLE)));

  private static List<Object> one(String select) throws Exception {
    BatchQuery q = QueryCompiler.compile("SELECT " + select + " FROM events", List.of(EVENTS));
    List<List<Object>> out = new ArrayList<>();
    q.execute(Map.of("events", List.<Object[]>of(new Object[] {T0, "order-123-DE", 150.0})), T0)
        .forEach(r -> out.add(java.util.Arrays.asList(r)));
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  @Test
  void dateAndTimeFunctionsGiveSparksResultsInUtc() throws Exception {
    {
      assertThat(
              one(
                  "date_format(ts, 'yyyy-MM-dd HH:mm'), unix_timestamp(ts),"
                      + " from_unixtime(1700000000), from_unixtime(1700000000, 'HH:mm'),"
                      + " date_trunc('HOUR', ts), date_trunc('month', ts),"
                      + " to_timestamp('2023-11-14 22:13:20'),"
                      + " to_timestamp('14/11/2023 22:13', 'dd/MM/yyyy HH:mm'),"
                      + " unix_timestamp('2023-11-14 22:13:20')"))
          .containsExactly(
              "2023-11-14 22:13",
              1_700_000_000L,
              "2023-11-14 22:13:20",
              "22:13",
              1_699_999_200_000L,
              1_698_796_800_000L,
              1_700_000_000_000L,
              1_699_999_980_000L,
              1_700_000_000L);
      assertThat(
              one(
                  "CAST(to_date('2023-11-14') AS VARCHAR), CAST(to_date(ts) AS VARCHAR),"
                      + " CAST(date_add(to_date('2023-11-14'), 3) AS VARCHAR),"
                      + " CAST(date_sub(to_date('2023-03-01'), 1) AS VARCHAR),"
                      + " datediff(to_date('2023-11-20'), to_date('2023-11-14')),"
                      + " date_format(to_date('2023-11-14 08:00:00'), 'EEE d MMM yyyy'),"
                      + " CAST(to_date('14.11.2023', 'dd.MM.yyyy') AS VARCHAR)"))
          .containsExactly(
              "2023-11-14",
              "2023-11-14",
              "2023-11-17",
              "2023-02-28",
              6,
              "Tue 14 Nov 2023",
              "2023-11-14");
    }
  }

  @Test
  void stringFunctionsFollowSpark() throws Exception {
    assertThat(
            one(
                "regexp_extract(line, '(\\\\d+)-(\\\\w+)', 2), regexp_extract(line, '(\\\\d+)'),"
                    + " regexp_extract(line, 'x(\\\\d)', 1),"
                    + " substring_index('www.apache.org', '.', 2),"
                    + " substring_index('www.apache.org', '.', -2),"
                    + " substring_index('www.apache.org', '#', 1),"
                    + " concat_ws('-', 'a', CAST(NULL AS VARCHAR), 'c')"))
        .containsExactly("DE", "123", "", "www.apache", "apache.org", "www.apache.org", "a-c");
    assertThat(
            one(
                "regexp_replace(line, '([0-9]+)', '<$1>'), regexp_replace(line, '-', '_', 7),"
                    + " instr(line, '-'), instr(line, 'x'), locate('-', line), locate('-', line, 7),"
                    + " locate('-', line, 0), sha2('abc', 256), sha2('abc', 1)"))
        .containsExactly(
            "order-<123>-DE",
            "order-123_DE",
            6,
            0,
            6,
            10,
            0,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            null);
    assertThat(
            one(
                "get_json_object('{\"a\":{\"b\":[1,{\"c\":\"x\"}]},\"n\":1.5}', '$.a.b[1].c'),"
                    + " get_json_object('{\"a\":{\"b\":[1,2]}}', '$.a'),"
                    + " get_json_object('{\"n\":1.5,\"t\":true}', '$[''n'']'),"
                    + " get_json_object('{\"n\":1}', '$.missing'),"
                    + " get_json_object('not json', '$.n'), get_json_object('{}', 'n')"))
        .containsExactly("x", "{\"b\":[1,2]}", "1.5", null, null, null);
  }

  @Test
  void textThatDoesNotParseIsAnErrorWithSparksClassAndANullArgumentIsNull() throws Exception {
    BatchQuery q =
        QueryCompiler.compile(
            "SELECT to_timestamp(line, 'yyyy-MM-dd') FROM events", List.of(EVENTS));
    assertThatThrownBy(
            () ->
                q.execute(
                        Map.of("events", List.<Object[]>of(new Object[] {T0, "order-123-DE", 1.0})),
                        T0)
                    .forEach(r -> {}))
        .hasStackTraceContaining("[CANNOT_PARSE_TIMESTAMP] Text 'order-123-DE'")
        .hasStackTraceContaining("yyyy-MM-dd");
    assertThat(
            one(
                "date_format(CAST(NULL AS TIMESTAMP), 'yyyy'), unix_timestamp(CAST(NULL AS VARCHAR))"))
        .containsExactly(null, null);
    assertThat(SparkFunctions.NAMES)
        .contains("DATE_FORMAT", "TO_DATE", "FROM_UNIXTIME", "REGEXP_EXTRACT", "LPAD");
  }
}
