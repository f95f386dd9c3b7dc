package dev.streamloop.engine.sql;

import dev.streamloop.engine.Column;
import java.util.List;

/**
 * A source as the SQL query sees it: a table name, its columns, and its watermarked event-time
 * column (null: none), which an aggregation can group by (itself, or the window_end of a window).
 */
public record TableDefinition(String name, List<Column> columns, String watermarkColumn) {
  /** A table without a watermark. */
  public TableDefinition(String name, List<Column> columns) {
    this(name, columns, null);
  }
}
