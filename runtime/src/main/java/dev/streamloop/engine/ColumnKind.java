package dev.streamloop.engine;

/**
 * The SQL type of a column, and how its values are held in rows (Calcite's internal
 * representation): timestamps as epoch milliseconds (Long), dates as epoch days (Integer), decimals
 * as BigDecimal, binary as Calcite's ByteString.
 */
public enum ColumnKind {
  STRING,
  BOOLEAN,
  INT,
  LONG,
  DOUBLE,
  DECIMAL,
  DATE,
  TIMESTAMP,
  BINARY
}
