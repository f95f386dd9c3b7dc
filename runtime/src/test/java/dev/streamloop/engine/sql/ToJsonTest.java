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
 * to_json with struct and named_struct as Spark 4 writes them (the differential cases {@code
 * to-json*} compare the same forms with Spark itself): fields named after the columns, NULL fields
 * left out, timestamps in UTC with milliseconds.
 */
class ToJsonTest {
  private static final TableDefinition EVENTS =
      new TableDefinition(
          "events",
          List.of(
              new Column("ts", ColumnKind.TIMESTAMP),
              new Column("user", ColumnKind.STRING),
              new Column("amount", ColumnKind.LONG)));

  private static List<Object> one(String select, Object... row) throws Exception {
    BatchQuery q = QueryCompiler.compile("SELECT " + select + " FROM events", List.of(EVENTS));
    List<List<Object>> out = new ArrayList<>();
    q.execute(Map.of("events", List.<Object[]>of(row)), 0).forEach(r -> out.add(Arrays.asList(r)));
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  @Test
  void structsArraysAndMapsAreWrittenAsSparkWritesThem() throws Exception {
    assertThat(
            one(
                "to_json(struct(ts, \"user\", amount)) AS a,"
                    + " to_json(named_struct('who', \"user\", 'day', DATE '2024-02-03',"
                    + " 'half', amount / 2, 'ok', amount > 1)) AS b,"
                    + " to_json(split('x,y', ',')) AS c,"
                    + " to_json(from_json('{\"m\":{\"k\":[1,null]}}', 'm MAP<STRING, ARRAY<INT>>'))"
                    + " AS d",
                1_704_067_200_123L,
                null,
                3L))
        .containsExactly(
            "{\"ts\":\"2024-01-01T00:00:00.123Z\",\"amount\":3}",
            "{\"day\":\"2024-02-03\",\"half\":1.5,\"ok\":true}",
            "[\"x\",\"y\"]",
            "{\"m\":{\"k\":[1,null]}}");
  }

  @Test
  void aStructsFieldsReadByName() throws Exception {
    assertThat(one("struct(amount, amount + 1).col2 AS n", 0L, "u", 4L)).containsExactly(5L);
  }

  @Test
  void whatToJsonCannotWriteIsRefusedWithTheFormsToWrite() {
    assertThatThrownBy(() -> one("to_json(amount) AS j"))
        .hasMessageContaining("to_json takes a struct, an array or a map")
        .hasMessageContaining("to_json(struct(a, b))");
    assertThatThrownBy(() -> one("to_json(named_struct('a')) AS j"))
        .hasMessageContaining("named_struct takes pairs of a name and a value");
    assertThatThrownBy(() -> one("to_json(named_struct(\"user\", 1)) AS j"))
        .hasMessageContaining("the names of named_struct must be string literals");
  }
}
