package dev.streamloop.engine.sql;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.schema.SchemaPlus;

/** A query Calcite planned and compiled (to Java bytecode) once; each batch binds new data. */
final class CalciteQuery implements BatchQuery {
  private final Bindable<?> bindable;
  private final List<Column> outputColumns;
  private final SchemaPlus schema;
  private final JavaTypeFactory typeFactory;
  private final boolean singleColumn;
  private final FailingExpressions failing;

  CalciteQuery(
      Bindable<?> bindable,
      List<Column> outputColumns,
      SchemaPlus schema,
      JavaTypeFactory typeFactory,
      FailingExpressions failing) {
    this.bindable = bindable;
    this.failing = failing;
    this.outputColumns = outputColumns;
    this.schema = schema;
    this.typeFactory = typeFactory;
    this.singleColumn = outputColumns.size() == 1;
  }

  @Override
  public List<Column> outputColumns() {
    return outputColumns;
  }

  @Override
  public String failingExpression(RuntimeException e) {
    return failing.describe(e);
  }

  @Override
  public Iterable<Object[]> execute(Map<String, Iterable<Object[]>> inputs, long batchTimestampMs) {
    BatchDataContext context = new BatchDataContext(schema, typeFactory, inputs, batchTimestampMs);
    return () -> rows(bindable.bind(context).enumerator());
  }

  /** Calcite returns a one-column result as bare values; rows are always arrays here. */
  private Iterator<Object[]> rows(Enumerator<?> enumerator) {
    return new Iterator<>() {
      private Boolean hasNext;

      @Override
      public boolean hasNext() {
        if (hasNext == null) {
          hasNext = enumerator.moveNext();
          if (!hasNext) {
            enumerator.close();
          }
        }
        return hasNext;
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        hasNext = null;
        Object row = enumerator.current();
        return singleColumn ? new Object[] {row} : (Object[]) row;
      }
    };
  }
}
