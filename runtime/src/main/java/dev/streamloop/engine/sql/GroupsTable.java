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
 * The groups a streaming aggregation emits, as a table with exactly the Aggregate's row type: the
 * compiled part of the query above the aggregation scans it in place of the Aggregate.
 */
final class GroupsTable extends AbstractTable implements ScannableTable {
  private final RelDataType rowType;

  GroupsTable(RelDataType rowType) {
    this.rowType = rowType;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return rowType;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Enumerable<Object[]> scan(DataContext root) {
    Iterable<Object[]> rows =
        (Iterable<Object[]>) root.get(BatchTable.dataKey(StreamingAggregateQuery.GROUPS_TABLE));
    return Linq4j.asEnumerable(rows == null ? List.of() : rows);
  }
}
