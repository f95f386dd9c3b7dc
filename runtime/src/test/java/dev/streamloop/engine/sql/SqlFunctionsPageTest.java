package dev.streamloop.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlOperator;
import org.junit.jupiter.api.Test;

/**
 * docs/sql-functions.md lists every function a query may call, with its signatures, generated from
 * the engine's operator table: Spark's functions the engine implements, then Calcite's standard and
 * Spark-library functions it keeps. Stale, the test fails; regenerate with {@code ./mvnw -pl
 * runtime verify -Dtest=SqlFunctionsPageTest -Dstreamloop.updateDocs=true}.
 */
class SqlFunctionsPageTest {
  private static final Path PAGE = Path.of("..", "docs", "sql-functions.md");

  @Test
  void theFunctionsPageListsWhatTheEngineAccepts() throws Exception {
    String page = render();
    if (Boolean.getBoolean("streamloop.updateDocs")) {
      Files.writeString(PAGE, page);
    }
    assertThat(Files.readString(PAGE))
        .as("docs/sql-functions.md is stale: regenerate it (see this test's Javadoc)")
        .isEqualTo(page);
  }

  static String render() {
    StringBuilder out = new StringBuilder();
    out.append("# SQL functions\n\n")
        .append("Generated from the engine's operator table by `SqlFunctionsPageTest`; do not")
        .append(" edit by hand.\nEvery function a `spec.query` may call. Timestamps are in the")
        .append(" session time zone UTC.\n\n## Spark's functions, as Spark defines them\n\n")
        .append("Implemented by the engine with Spark 4's results (ANSI mode: text that does not")
        .append(
            " parse is an error with\nSpark's error class, under the query's bad-record rules).")
        .append("\n\n| function | signatures |\n|---|---|\n");
    Map<String, List<String>> ours = new TreeMap<>();
    for (Class<?> c : SparkFunctions.CLASSES) {
      for (Method m : SparkFunctions.functions(c)) {
        ours.computeIfAbsent(SparkFunctions.sqlName(m), k -> new java.util.ArrayList<>())
            .add(signature(SparkFunctions.sqlName(m), m));
      }
    }
    ours.forEach(
        (name, signatures) ->
            out.append("| `")
                .append(name)
                .append("` | ")
                .append(
                    signatures.stream()
                        .sorted()
                        .map(s -> "`" + s + "`")
                        .collect(Collectors.joining("<br>")))
                .append(" |\n"));
    out.append("\n## Aggregate functions\n\nIn a streaming aggregation (GROUP BY, windows), with")
        .append(" their state in the state store: `COUNT(*)`, `COUNT(x)`, `SUM(x)`, `AVG(x)`,")
        .append(" `MIN(x)`, `MAX(x)`, each with an optional `FILTER (WHERE ...)`.\n")
        .append("\n## Calcite's scalar functions\n\nStandard SQL and Calcite's Spark library, as")
        .append(
            " Calcite implements them (FLOOR and CEIL of a number with Spark's BIGINT result).\n")
        .append("\n| function | signatures |\n|---|---|\n");
    Map<String, String> calcite = new TreeMap<>();
    for (SqlOperator op : CalcitePipeline.builtInOperators().getOperatorList()) {
      if (!(op instanceof SqlFunction)
          || op instanceof org.apache.calcite.sql.SqlAggFunction
          || op.getName().startsWith("$")
          || SparkFunctions.NAMES.contains(op.getName())) {
        continue; // aggregates are listed above; $-functions are Calcite's internal ones
      }
      String signatures;
      try {
        signatures = op.getAllowedSignatures();
      } catch (RuntimeException e) {
        signatures = "";
      }
      calcite.merge(
          op.getName(),
          java.util.Arrays.stream(signatures.split("\n"))
              .map(line -> "`" + line.replaceAll("^'|'$", "") + "`")
              .collect(Collectors.joining("<br>"))
              .replace("|", "\\|"),
          (a, b) -> a.equals(b) ? a : a + "<br>" + b);
    }
    calcite.forEach(
        (name, signatures) ->
            out.append("| `").append(name).append("` | ").append(signatures).append(" |\n"));
    return out.toString();
  }

  private static String signature(String name, Method m) {
    return name
        + "("
        + java.util.Arrays.stream(m.getParameterTypes())
            .map(SqlFunctionsPageTest::sqlType)
            .collect(Collectors.joining(", "))
        + ") → "
        + sqlType(m.getReturnType());
  }

  private static String sqlType(Class<?> type) {
    return switch (type.getSimpleName()) {
      case "String" -> "STRING";
      case "long", "Long" -> "BIGINT";
      case "int", "Integer" -> "INT";
      case "Timestamp" -> "TIMESTAMP";
      case "Date" -> "DATE";
      default -> type.getSimpleName().toUpperCase();
    };
  }
}
