package dev.streamloop.engine.sink.jdbc;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.SinkTargetException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks at startup that the target table can take the query's result: it exists, has a column of a
 * fitting type for each result column, and (for upserts) a unique index on the key columns. Each
 * error says what to change, with the DDL where that helps.
 */
final class TableCheck {
  private static final Map<ColumnKind, Set<String>> FITTING_TYPES =
      Map.of(
          ColumnKind.STRING, Set.of("text", "character varying", "character", "json", "jsonb"),
          ColumnKind.BOOLEAN, Set.of("boolean"),
          ColumnKind.INT, Set.of("integer", "bigint", "numeric", "smallint"),
          ColumnKind.LONG, Set.of("bigint", "numeric"),
          ColumnKind.DOUBLE, Set.of("double precision", "numeric", "real"),
          ColumnKind.DECIMAL, Set.of("numeric"),
          ColumnKind.DATE, Set.of("date"),
          ColumnKind.TIMESTAMP, Set.of("timestamp with time zone", "timestamp without time zone"),
          ColumnKind.BINARY, Set.of("bytea"));

  private static final Map<ColumnKind, String> SUGGESTED_TYPES =
      Map.of(
          ColumnKind.STRING, "text",
          ColumnKind.BOOLEAN, "boolean",
          ColumnKind.INT, "integer",
          ColumnKind.LONG, "bigint",
          ColumnKind.DOUBLE, "double precision",
          ColumnKind.DECIMAL, "numeric",
          ColumnKind.DATE, "date",
          ColumnKind.TIMESTAMP, "timestamptz",
          ColumnKind.BINARY, "bytea");

  private TableCheck() {}

  static TableLayout check(
      Connection connection, String field, String table, List<Column> result, List<String> keys)
      throws SQLException {
    String schema = null;
    String name = table;
    int dot = table.indexOf('.');
    if (dot > 0) {
      schema = table.substring(0, dot);
      name = table.substring(dot + 1);
    }
    Map<String, String[]> described = describe(connection, schema, name);
    if (described.isEmpty()) {
      described = describe(connection, lower(schema), name.toLowerCase(Locale.ROOT));
    }
    if (described.isEmpty()) {
      throw new SinkTargetException(
          field
              + ".table: table "
              + table
              + " does not exist (or this user cannot see it): create it, for example "
              + createTable(table, result, keys));
    }
    String actualSchema = described.values().iterator().next()[0];
    String actualTable = described.values().iterator().next()[1];
    List<String> columns = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Column column : result) {
      String[] found = described.get(column.name().toLowerCase(Locale.ROOT));
      if (found == null) {
        problems.add(
            "it has no column "
                + column.name()
                + " (add it: ALTER TABLE "
                + table
                + " ADD COLUMN "
                + column.name()
                + " "
                + SUGGESTED_TYPES.get(column.kind())
                + ")");
        continue;
      }
      if (!FITTING_TYPES.get(column.kind()).contains(found[3])) {
        problems.add(
            "column "
                + found[2]
                + " is "
                + found[3]
                + ", which cannot hold the result's "
                + column.kind()
                + " (use "
                + SUGGESTED_TYPES.get(column.kind())
                + ", or cast in the query)");
      }
      columns.add(found[2]);
      types.add(found[3]);
    }
    if (!problems.isEmpty()) {
      throw new SinkTargetException(
          field
              + ".table: table "
              + table
              + " does not fit the query's result: "
              + String.join("; ", problems));
    }
    TableLayout layout = new TableLayout(actualSchema, actualTable, columns, types);
    if (keys != null && !keys.isEmpty()) {
      checkUniqueKey(connection, layout, field, table, keys);
    }
    return layout;
  }

  /** Lower-cased column name → {schema, table, column, data_type}. */
  private static Map<String, String[]> describe(Connection connection, String schema, String table)
      throws SQLException {
    String sql =
        "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns"
            + " WHERE table_name = ? AND table_schema = coalesce(?, current_schema())"
            + " ORDER BY ordinal_position";
    Map<String, String[]> columns = new LinkedHashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, table);
      statement.setString(2, schema);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.put(
              rows.getString(3).toLowerCase(Locale.ROOT),
              new String[] {
                rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)
              });
        }
      }
    }
    return columns;
  }

  private static void checkUniqueKey(
      Connection connection, TableLayout layout, String field, String table, List<String> keys)
      throws SQLException {
    String sql =
        "SELECT array_agg(a.attname::text) FROM pg_index i JOIN pg_attribute a"
            + " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            + " WHERE i.indrelid = ?::regclass AND i.indisunique GROUP BY i.indexrelid";
    Set<String> wanted =
        keys.stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, layout.qualifiedName());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          Set<String> index = new HashSet<>();
          for (String column : (String[]) rows.getArray(1).getArray()) {
            index.add(column.toLowerCase(Locale.ROOT));
          }
          if (index.equals(wanted)) {
            return;
          }
        }
      }
    }
    throw new SinkTargetException(
        field
            + ".keyColumns: table "
            + table
            + " has no primary key or unique index on ("
            + String.join(", ", keys)
            + "), which upserts need: ALTER TABLE "
            + table
            + " ADD PRIMARY KEY ("
            + String.join(", ", keys)
            + ")");
  }

  private static String createTable(String table, List<Column> result, List<String> keys) {
    String columns =
        result.stream()
            .map(c -> c.name() + " " + SUGGESTED_TYPES.get(c.kind()))
            .collect(Collectors.joining(", "));
    String key =
        keys == null || keys.isEmpty() ? "" : ", PRIMARY KEY (" + String.join(", ", keys) + ")";
    return "CREATE TABLE " + table + " (" + columns + key + ")";
  }

  private static String lower(String value) {
    return value == null ? null : value.toLowerCase(Locale.ROOT);
  }
}
