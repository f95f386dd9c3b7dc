package dev.streamloop.differential;

import java.util.List;
import java.util.Map;

/**
 * One query of the suite, as cases.yaml gives it.
 *
 * @param name Unique, a directory name.
 * @param sql The query, the same text for both engines.
 * @param mode append, update or complete.
 * @param sources The streams it reads (names from {@link TestStreams}).
 * @param watermark Per source, its delay in seconds on column ts; absent: no watermark.
 * @param covers What the case checks, for the report.
 * @param refused When both engines must refuse the query: the text Spark's error holds (its error
 *     class) and the runner's must hold too, or the runner's own words for the same rule.
 * @param differs When the runner differs on purpose: why (docs/spark-differences.md lists it); the
 *     test checks that it still differs, so a fixed difference cannot stay listed.
 * @param spark What Spark runs instead, where the runner's SQL has no Spark SQL equal (Spark
 *     deduplicates only with DataFrame operators); absent: the same SQL.
 */
record DiffCase(
    String name,
    String sql,
    String mode,
    List<String> sources,
    Map<String, Integer> watermark,
    String covers,
    Refused refused,
    String differs,
    Spark spark) {

  /** What each engine's error must say. */
  record Refused(String spark, String runner) {}

  /**
   * Spark's side of a case whose SQL Spark cannot write: its SQL over the sources deduplicated with
   * {@code dropDuplicates(columns)} or {@code dropDuplicatesWithinWatermark(columns)}.
   */
  record Spark(String sql, List<String> dropDuplicates, boolean withinWatermark) {}

  /** The SQL Spark runs. */
  String sparkSql() {
    return spark != null && spark.sql() != null ? spark.sql() : sql;
  }

  DiffCase {
    mode = mode == null ? "append" : mode;
    watermark = watermark == null ? Map.of() : watermark;
  }

  @Override
  public String toString() {
    return name;
  }
}
