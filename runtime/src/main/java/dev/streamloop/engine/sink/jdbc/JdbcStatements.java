package dev.streamloop.engine.sink.jdbc;

import java.util.List;
import java.util.stream.Collectors;

/** The SQL the JDBC sink runs, built from the checked table layout (pure, so unit-tested). */
final class JdbcStatements {
  /** Where each sink records the last batch it wrote, in the target's schema. */
  static final String PROGRESS_TABLE = "streamloop_sink_batches";

  private JdbcStatements() {}

  static String createProgressTable(TableLayout layout) {
    return "CREATE TABLE IF NOT EXISTS "
        + layout.progressTable()
        + " (sink_id text PRIMARY KEY, batch_id bigint NOT NULL,"
        + " updated_at timestamptz NOT NULL DEFAULT now())";
  }

  /** Makes sure the sink's row exists, so that it can be locked. */
  static String ensureProgressRow(TableLayout layout) {
    return "INSERT INTO "
        + layout.progressTable()
        + " (sink_id, batch_id) VALUES (?, -1) ON CONFLICT (sink_id) DO NOTHING";
  }

  /** Locks the sink's row for the transaction: a second writer waits, then sees the batch. */
  static String lockProgress(TableLayout layout) {
    return "SELECT batch_id FROM " + layout.progressTable() + " WHERE sink_id = ? FOR UPDATE";
  }

  static String recordBatch(TableLayout layout) {
    return "UPDATE "
        + layout.progressTable()
        + " SET batch_id = ?, updated_at = now() WHERE sink_id = ?";
  }

  static String deleteAll(TableLayout layout) {
    return "DELETE FROM " + layout.qualifiedName();
  }

  static String insert(TableLayout layout) {
    return "INSERT INTO "
        + layout.qualifiedName()
        + " ("
        + names(layout.columns())
        + ") VALUES ("
        + layout.columns().stream().map(c -> "?").collect(Collectors.joining(", "))
        + ")";
  }

  /** An insert that updates the row with the same key: the other columns take the new values. */
  static String upsert(TableLayout layout, List<String> keyColumns) {
    List<String> others =
        layout.columns().stream().filter(c -> !containsIgnoreCase(keyColumns, c)).toList();
    String action =
        others.isEmpty()
            ? " DO NOTHING"
            : " DO UPDATE SET "
                + others.stream()
                    .map(c -> TableLayout.quote(c) + " = EXCLUDED." + TableLayout.quote(c))
                    .collect(Collectors.joining(", "));
    List<String> keys =
        layout.columns().stream().filter(c -> containsIgnoreCase(keyColumns, c)).toList();
    return insert(layout) + " ON CONFLICT (" + names(keys) + ")" + action;
  }

  private static String names(List<String> columns) {
    return columns.stream().map(TableLayout::quote).collect(Collectors.joining(", "));
  }

  static boolean containsIgnoreCase(List<String> names, String name) {
    return names.stream().anyMatch(n -> n.equalsIgnoreCase(name));
  }
}
