package dev.streamloop.engine.sql;

import dev.streamloop.engine.Column;
import java.util.List;

/**
 * A source as the SQL query sees it: a table name, its columns, its watermarked event-time column
 * (null: none), which an aggregation can group by (itself, or the window_end of a window) and a
 * deduplication order by, the watermark's delay (how long a deduplication keeps a key), and whether
 * it is a static table (read whole, joined with streams) rather than a stream.
 */
public record TableDefinition(
    String name,
    List<Column> columns,
    String watermarkColumn,
    long watermarkDelayMs,
    boolean isStatic) {
  /** A stream without a watermark. */
  public TableDefinition(String name, List<Column> columns) {
    this(name, columns, null, 0, false);
  }

  /** A stream with a watermark on {@code watermarkColumn} whose delay does not matter. */
  public TableDefinition(String name, List<Column> columns, String watermarkColumn) {
    this(name, columns, watermarkColumn, 0, false);
  }

  /** A stream, with a watermark if {@code watermarkColumn} is not null. */
  public TableDefinition(
      String name, List<Column> columns, String watermarkColumn, long watermarkDelayMs) {
    this(name, columns, watermarkColumn, watermarkDelayMs, false);
  }

  /** A static table. */
  public static TableDefinition staticTable(String name, List<Column> columns) {
    return new TableDefinition(name, columns, null, 0, true);
  }
}
