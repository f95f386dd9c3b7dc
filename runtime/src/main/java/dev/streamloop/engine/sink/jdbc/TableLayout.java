package dev.streamloop.engine.sink.jdbc;

import java.util.List;

/**
 * A target table as the database describes it: schema, name and, for each result column in order,
 * the table column's actual name and its PostgreSQL type.
 */
record TableLayout(String schema, String table, List<String> columns, List<String> types) {
  String qualifiedName() {
    return quote(schema) + "." + quote(table);
  }

  /** The progress table, beside the target in its schema. */
  String progressTable() {
    return quote(schema) + "." + quote(JdbcStatements.PROGRESS_TABLE);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
