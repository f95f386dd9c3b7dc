package dev.streamloop.engine.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.streamloop.engine.Column;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Encodes result rows as JSON lines or CSV (Jackson's generators), with Spark's text forms:
 * timestamps as 2023-11-14T22:13:20.123Z, dates as 2023-11-14, binary as base64.
 */
public final class RowFormat {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  /** The encodings. */
  public enum Kind {
    JSON,
    CSV
  }

  private final Kind kind;
  private final List<Column> columns;
  private final boolean csvHeader;
  private final char delimiter;

  public RowFormat(Kind kind, List<Column> columns, boolean csvHeader, char delimiter) {
    this.kind = kind;
    this.columns = columns;
    this.csvHeader = csvHeader;
    this.delimiter = delimiter;
  }

  public String extension() {
    return kind == Kind.JSON ? ".json" : ".csv";
  }

  /** Writes {@code rows} to {@code out}; returns how many. */
  public long write(Iterable<Object[]> rows, OutputStream out) throws IOException {
    return kind == Kind.JSON ? writeJson(rows, out) : writeCsv(rows, out);
  }

  private long writeJson(Iterable<Object[]> rows, OutputStream out) throws IOException {
    long count = 0;
    // The caller owns the stream (it fsyncs it after the rows): do not close it here.
    try (JsonGenerator json =
        new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
      json.setRootValueSeparator(null);
      for (Object[] row : rows) {
        json.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
          if (row[i] != null) {
            json.writeFieldName(columns.get(i).name());
            writeJsonValue(json, columns.get(i), row[i]);
          }
        }
        json.writeEndObject();
        json.writeRaw('\n');
        count++;
      }
    }
    return count;
  }

  static void writeJsonValue(JsonGenerator json, Column column, Object value) throws IOException {
    switch (column.kind()) {
      case INT, LONG -> json.writeNumber(((Number) value).longValue());
      case DOUBLE -> json.writeNumber(((Number) value).doubleValue());
      case DECIMAL -> json.writeNumber((BigDecimal) value);
      case BOOLEAN -> json.writeBoolean((Boolean) value);
      default -> json.writeString(text(column, value));
    }
  }

  private long writeCsv(Iterable<Object[]> rows, OutputStream out) throws IOException {
    CsvSchema.Builder schema = CsvSchema.builder().setColumnSeparator(delimiter);
    columns.forEach(c -> schema.addColumn(c.name()));
    long count = 0;
    CsvFactory factory = csvFactory();
    factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    try (CsvGenerator csv = factory.createGenerator(out)) {
      csv.setSchema(schema.setUseHeader(csvHeader).build());
      for (Object[] row : rows) {
        csv.writeStartArray();
        for (int i = 0; i < columns.size(); i++) {
          writeCsvValue(csv, columns.get(i), row[i]);
        }
        csv.writeEndArray();
        count++;
      }
    }
    return count;
  }

  /** Jackson's CSV factory set to write as Spark does: an empty string quoted ({@code ""}). */
  static CsvFactory csvFactory() {
    return new CsvFactory().enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS);
  }

  /**
   * One CSV cell, as Spark writes it: a null as an empty cell, an empty string as {@code ""}.
   * Jackson's {@code writeNull} in an array row writes nothing, not even the cell's separator,
   * which shifted the rest of the row left.
   */
  static void writeCsvValue(CsvGenerator csv, Column column, Object value) throws IOException {
    if (value == null) {
      csv.writeRawValue("");
    } else {
      csv.writeString(text(column, value));
    }
  }

  /** A value as text, in Spark's form. */
  public static String text(Column column, Object value) {
    return switch (column.kind()) {
      case TIMESTAMP -> TIMESTAMP.format(Instant.ofEpochMilli(((Number) value).longValue()));
      case DATE -> LocalDate.ofEpochDay(((Number) value).longValue()).toString();
      case BINARY -> Base64.getEncoder().encodeToString(((ByteString) value).getBytes());
      default -> String.valueOf(value);
    };
  }
}
