package dev.streamloop.engine.sql;

import java.util.List;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's Java type factory with Spark's strings: where values of several text types meet (CASE
 * branches, COALESCE, UNION ALL), the result is VARCHAR. Calcite's CHAR would pad 'small' to the
 * length of 'medium', and Spark's strings have no length.
 */
final class SparkTypeFactory extends JavaTypeFactoryImpl {
  SparkTypeFactory() {
    super(SparkTypeSystem.INSTANCE);
  }

  @Override
  public RelDataType leastRestrictive(List<RelDataType> types) {
    RelDataType common = super.leastRestrictive(types);
    if (common == null || common.getSqlTypeName() != SqlTypeName.CHAR) {
      return common;
    }
    return createTypeWithNullability(
        createSqlType(SqlTypeName.VARCHAR, common.getPrecision()), common.isNullable());
  }
}
