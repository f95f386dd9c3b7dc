package dev.streamloop.engine.sql;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A source as a Calcite table whose rows are the current batch's: the compiled query scans it
 * through the DataContext it is bound to, so one compiled plan serves every batch.
 */
final class BatchTable extends AbstractTable implements ScannableTable {
  private final TableDefinition definition;

  BatchTable(TableDefinition definition) {
    this.definition = definition;
  }

  /** Whether this is a static table (read whole, joined with streams), not a stream. */
  /** The column the table's watermark is on, or null. */
  String watermarkColumn() {
    return definition.watermarkColumn();
  }

  boolean isStatic() {
    return definition.isStatic();
  }

  static String dataKey(String table) {
    return "streamloop.batch." + table;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder row = typeFactory.builder();
    for (Column column : definition.columns()) {
      row.add(
          column.name(), typeFactory.createTypeWithNullability(sqlType(typeFactory, column), true));
    }
    return row.build();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Enumerable<Object[]> scan(DataContext root) {
    Iterable<Object[]> rows = (Iterable<Object[]>) root.get(dataKey(definition.name()));
    return Linq4j.asEnumerable(rows == null ? List.of() : rows);
  }

  private static RelDataType sqlType(RelDataTypeFactory types, Column column) {
    return sqlType(types, column.kind());
  }

  static RelDataType sqlType(RelDataTypeFactory types, ColumnKind kind) {
    return switch (kind) {
      case STRING -> types.createSqlType(SqlTypeName.VARCHAR);
      case BOOLEAN -> types.createSqlType(SqlTypeName.BOOLEAN);
      case INT -> types.createSqlType(SqlTypeName.INTEGER);
      case LONG -> types.createSqlType(SqlTypeName.BIGINT);
      case DOUBLE -> types.createSqlType(SqlTypeName.DOUBLE);
      case DECIMAL -> types.createSqlType(SqlTypeName.DECIMAL, 38, 10);
      case DATE -> types.createSqlType(SqlTypeName.DATE);
      case TIMESTAMP -> types.createSqlType(SqlTypeName.TIMESTAMP, 3);
      case BINARY -> types.createSqlType(SqlTypeName.VARBINARY);
    };
  }
}
