package dev.streamloop.engine.sql;

import org.apache.calcite.linq4j.function.Strict;

/**
 * Spark's math functions whose result type differs from Calcite's of the same name, or that Calcite
 * lacks.
 */
public final class SparkMathFunctions {
  private SparkMathFunctions() {}

  /**
   * Spark's sign: -1.0, 0.0 or 1.0, a DOUBLE whatever the operand (Calcite: the operand's type).
   */
  @Strict
  public static Double sign(Double x) {
    return Math.signum(x);
  }

  /** Spark's signum, the same as sign. */
  @Strict
  public static Double signum(Double x) {
    return Math.signum(x);
  }

  /**
   * Spark's try_divide: the quotient as a DOUBLE (as {@code /}), NULL instead of an error when the
   * divisor is zero.
   */
  @Strict
  public static Double tryDivide(Double dividend, Double divisor) {
    return divisor == 0 ? null : dividend / divisor;
  }
}
