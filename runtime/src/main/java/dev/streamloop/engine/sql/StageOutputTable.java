package dev.streamloop.engine.sql;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * What a stateful operator emits (an aggregation's groups, a deduplication's first rows), as a
 * table with exactly the operator's row type: the compiled part of the query above the operator
 * scans it in place of the operator.
 */
final class StageOutputTable extends AbstractTable implements ScannableTable {
  private final String name;
  private final RelDataType rowType;

  StageOutputTable(String name, RelDataType rowType) {
    this.name = name;
    this.rowType = rowType;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return rowType;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Enumerable<Object[]> scan(DataContext root) {
    Iterable<Object[]> rows = (Iterable<Object[]>) root.get(BatchTable.dataKey(name));
    return Linq4j.asEnumerable(rows == null ? List.of() : rows);
  }
}
