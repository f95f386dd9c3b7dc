package dev.streamloop.engine.sql;

import org.apache.calcite.linq4j.function.Strict;

/** Spark 4's arithmetic where Calcite's differs, under ANSI rules. */
public final class SparkArithmetic {
  private SparkArithmetic() {}

  /**
   * Spark's {@code /} of integers and doubles: a double, and an error for a zero divisor (ANSI), as
   * Spark gives for every type; Calcite divides integers as integers.
   */
  @Strict
  public static Double divide(Double dividend, Double divisor) {
    if (divisor == 0) {
      throw new ArithmeticException(
          "[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and"
              + " return NULL instead.");
    }
    return dividend / divisor;
  }
}
