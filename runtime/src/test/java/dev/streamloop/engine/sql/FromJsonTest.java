package dev.streamloop.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * from_json as Spark 4's permissive parsing gives it: the expected rows below are what Spark 4.0.4
 * returned for the same texts and schema (run through the differential suite's oracle).
 */
class FromJsonTest {
  private static final TableDefinition MESSAGES =
      new TableDefinition("messages", List.of(new Column("v", ColumnKind.STRING)));

  private static final String ALL_TYPES =
      "SELECT j.a, j.b, j.t, j.arr[1] AS a1, j.m['k'] AS mk, j.s.x AS sx FROM (SELECT"
          + " from_json(v, 'a INT, b STRING, t TIMESTAMP, arr ARRAY<INT>, m MAP<STRING,INT>,"
          + " s STRUCT<x: INT>') AS j FROM messages)";

  private static List<List<Object>> run(String sql, String... texts) throws Exception {
    BatchQuery q = QueryCompiler.compile(sql, List.of(MESSAGES));
    List<Object[]> rows = new ArrayList<>();
    for (String text : texts) {
      rows.add(new Object[] {text});
    }
    List<List<Object>> out = new ArrayList<>();
    q.execute(Map.of("messages", rows), 0).forEach(r -> out.add(Arrays.asList(r)));
    return out;
  }

  @Test
  void valuesOfTheDeclaredTypesAreReadAndTheOthersAreNull() throws Exception {
    assertThat(
            run(
                ALL_TYPES,
                "{\"a\":1,\"b\":\"x\"}",
                "not json",
                "{\"a\":\"str\",\"b\":\"y\"}",
                null,
                "{\"a\":1.5}",
                "{\"a\":2,\"t\":\"2024-01-01T00:00:00Z\",\"arr\":[1,2],\"m\":{\"k\":3},"
                    + "\"s\":{\"x\":7}}",
                "{\"A\":5,\"b\":true}",
                "[{\"a\":9}]",
                "{\"a\":3000000000}",
                "{}"))
        .containsExactly(
            Arrays.asList(1, "x", null, null, null, null),
            Arrays.asList(null, null, null, null, null, null),
            Arrays.asList(null, "y", null, null, null, null),
            Arrays.asList(null, null, null, null, null, null),
            Arrays.asList(null, null, null, null, null, null),
            Arrays.asList(2, null, 1_704_067_200_000L, 2, 3, 7),
            Arrays.asList(null, "true", null, null, null, null),
            Arrays.asList(null, null, null, null, null, null),
            Arrays.asList(null, null, null, null, null, null),
            Arrays.asList(null, null, null, null, null, null));
  }

  @Test
  void textThatIsNoJsonIsAStructOfNullsAndNullTextANullStruct() throws Exception {
    assertThat(
            run(
                "SELECT j IS NULL AS none, j.a, from_json(v, 'a BIGINT').a AS big FROM"
                    + " (SELECT v, from_json(v, 'a INT') AS j FROM messages)",
                "not json",
                null,
                "{\"a\":3000000000}"))
        .containsExactly(
            Arrays.asList(false, null, null),
            Arrays.asList(true, null, null),
            Arrays.asList(false, null, 3_000_000_000L));
  }

  @Test
  void aStructsFieldsExpandWithStar() throws Exception {
    BatchQuery q =
        QueryCompiler.compile(
            "SELECT j.* FROM (SELECT from_json(v, 'STRUCT<`id`: BIGINT, name STRING NOT NULL"
                + " COMMENT ''the name''>') AS j FROM messages)",
            List.of(MESSAGES));
    assertThat(q.outputColumns())
        .containsExactly(new Column("id", ColumnKind.LONG), new Column("name", ColumnKind.STRING));
  }

  @Test
  void aSchemaThatIsNotALiteralOrDoesNotParseIsRefusedWithWhereAndWhy() {
    assertThatThrownBy(() -> run("SELECT from_json(v, v).a AS a FROM messages"))
        .hasMessageContaining("the schema of from_json must be a string literal");
    assertThatThrownBy(() -> run("SELECT from_json(v, 'a DECIMAL(10, 2)').a AS a FROM messages"))
        .hasMessageContaining("does not parse at character 3")
        .hasMessageContaining("type DECIMAL is not supported here");
    assertThatThrownBy(() -> run("SELECT from_json(v, 'a ARRAY<INT').a AS a FROM messages"))
        .hasMessageContaining("'>' expected");
    assertThatThrownBy(() -> run("SELECT from_json(v, 'm MAP<INT, INT>').m AS m FROM messages"))
        .hasMessageContaining("a map's keys must be STRING");
  }
}
