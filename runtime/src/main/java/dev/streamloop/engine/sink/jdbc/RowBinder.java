package dev.streamloop.engine.sink.jdbc;

import dev.streamloop.engine.Column;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Binds a result row's values (Calcite's representation: timestamps as epoch milliseconds, dates as
 * epoch days) to a statement's parameters, for the table's column types. Timestamps are UTC, also
 * in columns without a time zone.
 */
final class RowBinder {
  private final List<Column> columns;
  private final List<String> types;

  RowBinder(List<Column> columns, TableLayout layout) {
    this.columns = columns;
    this.types = layout.types();
  }

  void bind(PreparedStatement statement, Object[] row) throws SQLException {
    for (int i = 0; i < columns.size(); i++) {
      int p = i + 1;
      Object value = row[i];
      if (value == null) {
        statement.setNull(p, Types.NULL);
        continue;
      }
      switch (columns.get(i).kind()) {
        case STRING -> statement.setObject(p, value, Types.VARCHAR);
        case BOOLEAN -> statement.setBoolean(p, (Boolean) value);
        case INT -> statement.setInt(p, ((Number) value).intValue());
        case LONG -> statement.setLong(p, ((Number) value).longValue());
        case DOUBLE -> statement.setDouble(p, ((Number) value).doubleValue());
        case DECIMAL -> statement.setBigDecimal(p, (BigDecimal) value);
        case DATE -> statement.setObject(p, LocalDate.ofEpochDay(((Number) value).longValue()));
        case TIMESTAMP -> bindTimestamp(statement, p, types.get(i), ((Number) value).longValue());
        case BINARY -> statement.setBytes(p, ((ByteString) value).getBytes());
      }
    }
  }

  private static void bindTimestamp(PreparedStatement statement, int p, String type, long ms)
      throws SQLException {
    Instant instant = Instant.ofEpochMilli(ms);
    if (type.equals("timestamp with time zone")) {
      statement.setObject(p, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    } else {
      statement.setObject(p, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
  }
}
