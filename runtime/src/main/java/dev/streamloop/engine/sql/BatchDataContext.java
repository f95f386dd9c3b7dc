package dev.streamloop.engine.sql;

import java.util.HashMap;
import java.util.Map;
import java.util.TimeZone;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

/**
 * What one batch's execution of the compiled query sees: the batch's rows per table and the batch's
 * logged time as CURRENT_TIMESTAMP (in UTC), so that a re-run batch computes the same.
 */
final class BatchDataContext implements DataContext {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private final SchemaPlus rootSchema;
  private final JavaTypeFactory typeFactory;
  private final Map<String, Object> values = new HashMap<>();

  BatchDataContext(
      SchemaPlus rootSchema,
      JavaTypeFactory typeFactory,
      Map<String, Iterable<Object[]>> inputs,
      long batchTimestampMs) {
    this.rootSchema = rootSchema;
    this.typeFactory = typeFactory;
    inputs.forEach((table, rows) -> values.put(BatchTable.dataKey(table), rows));
    values.put(Variable.CURRENT_TIMESTAMP.camelName, batchTimestampMs);
    values.put(Variable.LOCAL_TIMESTAMP.camelName, batchTimestampMs);
    values.put(Variable.UTC_TIMESTAMP.camelName, batchTimestampMs);
    values.put(Variable.TIME_ZONE.camelName, UTC);
    values.put(Variable.USER.camelName, "streamloop");
    values.put(Variable.SYSTEM_USER.camelName, "streamloop");
  }

  @Override
  public SchemaPlus getRootSchema() {
    return rootSchema;
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return typeFactory;
  }

  @Override
  public QueryProvider getQueryProvider() {
    return null;
  }

  @Override
  public Object get(String name) {
    return values.get(name);
  }
}
