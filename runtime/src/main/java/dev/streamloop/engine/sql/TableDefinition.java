package dev.streamloop.engine.sql;

import dev.streamloop.engine.Column;
import java.util.List;

/**
 * A source as the SQL query sees it: a table name, its columns, its watermarked event-time column
 * (null: none), which an aggregation can group by (itself, or the window_end of a window) and a
 * deduplication order by, and the watermark's delay (how long a deduplication keeps a key).
 */
public record TableDefinition(
    String name, List<Column> columns, String watermarkColumn, long watermarkDelayMs) {
  /** A table without a watermark. */
  public TableDefinition(String name, List<Column> columns) {
    this(name, columns, null, 0);
  }

  /** A table with a watermark on {@code watermarkColumn} whose delay does not matter. */
  public TableDefinition(String name, List<Column> columns, String watermarkColumn) {
    this(name, columns, watermarkColumn, 0);
  }
}
