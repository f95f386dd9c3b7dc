package dev.streamloop.engine.sql;

import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * Calcite's default conformance with what Spark SQL allows as well: {@code %} for the remainder,
 * {@code !=}, and CASE branches of text of different lengths typed as VARCHAR (Spark's strings have
 * no length; Calcite would pad 'small' to CHAR(6)).
 */
final class SparkConformance extends SqlDelegatingConformance {
  static final SparkConformance INSTANCE = new SparkConformance();

  private SparkConformance() {
    super(SqlConformanceEnum.DEFAULT);
  }

  @Override
  public boolean isPercentRemainderAllowed() {
    return true;
  }

  @Override
  public boolean isBangEqualAllowed() {
    return true;
  }

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }
}
