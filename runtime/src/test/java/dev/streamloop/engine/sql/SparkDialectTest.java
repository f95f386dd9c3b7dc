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
 * Spark SQL's dialect where Calcite's default differs, each point as the differential suite
 * (differential/) found it against Spark 4: names that are reserved words to Calcite, Spark's
 * arithmetic types, string escapes, text types, type names.
 */
class SparkDialectTest {
  private static final TableDefinition EVENTS =
      new TableDefinition(
          "events",
          List.of(
              new Column("day", ColumnKind.DATE),
              new Column("user", ColumnKind.STRING),
              new Column("value", ColumnKind.LONG),
              new Column("price", ColumnKind.DOUBLE)));

  private static final Object[] ROW = {20_000, "ann", 7L, 2.5};

  private static List<Object> one(String select) throws SqlCompileException {
    BatchQuery query = QueryCompiler.compile("SELECT " + select + " FROM events", List.of(EVENTS));
    List<Object> values = new ArrayList<>();
    for (Object[] row : query.execute(Map.of("events", List.<Object[]>of(ROW)), 0)) {
      values.addAll(java.util.Arrays.asList(row));
    }
    return values;
  }

  private static List<ColumnKind> kinds(String select) throws SqlCompileException {
    return QueryCompiler.compile("SELECT " + select + " FROM events", List.of(EVENTS))
        .outputColumns()
        .stream()
        .map(Column::kind)
        .toList();
  }

  @Test
  void wordsSparkDoesNotReserveNameColumnsAndUserIsTheColumn() throws Exception {
    assertThat(one("day, user, value, value AS minute, user AS ref"))
        .containsExactly(20_000, "ann", 7L, 7L, "ann");
  }

  @Test
  void arithmeticHasSparksTypes() throws Exception {
    assertThat(one("value / 2 AS q, floor(price) AS f, ceil(price) AS c"))
        .containsExactly(3.5, 2L, 3L);
    // Spark's %, which Calcite's default conformance refuses (its type is the divisor's here)
    assertThat(one("value % 4 AS r")).singleElement().isEqualTo(3);
    assertThat(kinds("value / 2 AS q, floor(price) AS f, sign(value) AS s"))
        .containsExactly(ColumnKind.DOUBLE, ColumnKind.LONG, ColumnKind.DOUBLE);
    assertThat(one("value != 7 AS ne, sign(value) AS s")).containsExactly(false, 1.0);
    assertThatThrownBy(() -> one("price / (value - 7) AS boom"))
        .hasMessageContaining("[DIVIDE_BY_ZERO]");
  }

  @Test
  void textIsSparksStringsWithSparksEscapes() throws Exception {
    assertThat(
            one(
                "CASE WHEN value > 5 THEN 'big' ELSE 'small' END AS size, CAST(value AS STRING) AS"
                    + " s, concat(user, '-', CAST(NULL AS STRING)) AS nul, concat(user, '!') AS c,"
                    + " '\\\\d\\t\\d' AS escaped"))
        .containsExactly("big", "7", null, "ann!", "\\d\td");
  }

  @Test
  void sparksDatediffParsesWithACallAsItsFirstArgument() throws Exception {
    assertThat(one("datediff(date_add(day, 3), day) AS d")).containsExactly(3);
    assertThatThrownBy(() -> one("datediff(day, ) AS d"))
        .hasMessageContaining("line 1, column 20")
        .hasMessageNotContaining("$ate");
  }

  @Test
  void splitGivesAnArrayIndexedFromZeroAsInSpark() throws Exception {
    assertThat(
            one(
                "split('a,b,,c,', ',')[0] AS first, split('a,b,,c,', ',')[4] AS last,"
                    + " size(split('a,b,,c,', ',')) AS n, size(split('a1b22c', '[0-9]+', 2)) AS"
                    + " limited, array_join(split('x-y', '-'), '+') AS joined"))
        .containsExactly("a", "", 5, 2, "x+y");
    assertThatThrownBy(() -> one("split('a,b', ',')[5] AS beyond")).isNotNull();
    assertThatThrownBy(() -> one("split(user, 'n') AS parts"))
        .hasMessageContaining("output column \"parts\" is")
        .hasMessageContaining("parts[0]");
  }
}
