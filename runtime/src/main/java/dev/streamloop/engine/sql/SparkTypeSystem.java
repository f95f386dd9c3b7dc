package dev.streamloop.engine.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Calcite's type system with Spark's aggregate result types: AVG of an integer or floating column
 * is a DOUBLE (Calcite: the argument's type, so AVG(1, 2) = 1), and SUM of an integer column is a
 * BIGINT (Calcite: the argument's type, which overflows). Decimals keep Calcite's rules.
 */
final class SparkTypeSystem extends RelDataTypeSystemImpl {
  static final SparkTypeSystem INSTANCE = new SparkTypeSystem();

  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory types, RelDataType argument) {
    if (SqlTypeUtil.isDecimal(argument)) {
      return super.deriveAvgAggType(types, argument);
    }
    return types.createTypeWithNullability(
        types.createSqlType(SqlTypeName.DOUBLE), argument.isNullable());
  }

  @Override
  public RelDataType deriveSumType(RelDataTypeFactory types, RelDataType argument) {
    if (SqlTypeUtil.isExactNumeric(argument) && !SqlTypeUtil.isDecimal(argument)) {
      return types.createTypeWithNullability(
          types.createSqlType(SqlTypeName.BIGINT), argument.isNullable());
    }
    return super.deriveSumType(types, argument);
  }
}
