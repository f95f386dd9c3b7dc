package dev.streamloop.engine.sql;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.linq4j.function.Strict;

/** Spark's split, which the engine implements (Calcite's SPLIT splits on text, not a pattern). */
public final class SparkArrays {
  private SparkArrays() {}

  /** Spark's split: every part around the pattern's matches, trailing empty parts kept. */
  @Strict
  public static List<String> split(String text, String regex) {
    return split(text, regex, -1);
  }

  /**
   * Spark's split into at most {@code limit} parts (the last holds the rest); all for limit ≤ 0.
   */
  @Strict
  public static List<String> split(String text, String regex, Integer limit) {
    if (text.isEmpty()) {
      return List.of(""); // as Spark: one empty part
    }
    return Arrays.asList(SparkStringFunctions.pattern(regex).split(text, limit > 0 ? limit : -1));
  }
}
