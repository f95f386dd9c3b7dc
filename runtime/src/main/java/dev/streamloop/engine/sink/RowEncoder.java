package dev.streamloop.engine.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.streamloop.engine.Column;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes one row at a time, as a JSON object or a CSV line without its line break, in the same
 * text forms as {@link RowFormat}: for sinks that write a record per row (Kafka). One generator and
 * buffer serve every row, so encoding allocates only the returned bytes.
 */
public final class RowEncoder {
  private final List<Column> columns;
  private final int[] fields;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
  private final JsonGenerator json;
  private final CsvGenerator csv;

  /**
   * @param fields The indexes of the row's values to encode, in order, named by {@code columns}.
   */
  public RowEncoder(RowFormat.Kind kind, List<Column> columns, int[] fields, char delimiter) {
    this.columns = columns;
    this.fields = fields.clone();
    try {
      if (kind == RowFormat.Kind.JSON) {
        json = new JsonFactory().createGenerator(buffer);
        json.setRootValueSeparator(null);
        csv = null;
      } else {
        CsvSchema.Builder schema =
            CsvSchema.builder().setColumnSeparator(delimiter).setLineSeparator("");
        Arrays.stream(fields).forEach(i -> schema.addColumn(columns.get(i).name()));
        csv = RowFormat.csvFactory().createGenerator(buffer);
        csv.setSchema(schema.build());
        json = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The encoded row. */
  public byte[] encode(Object[] row) {
    buffer.reset();
    try {
      if (json != null) {
        writeJson(row);
        json.flush();
      } else {
        writeCsv(row);
        csv.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a memory buffer: only an encoding bug gets here
    }
    return buffer.toByteArray();
  }

  private void writeJson(Object[] row) throws IOException {
    json.writeStartObject();
    for (int i : fields) {
      if (row[i] != null) {
        json.writeFieldName(columns.get(i).name());
        RowFormat.writeJsonValue(json, columns.get(i), row[i]);
      }
    }
    json.writeEndObject();
  }

  private void writeCsv(Object[] row) throws IOException {
    csv.writeStartArray();
    for (int i : fields) {
      RowFormat.writeCsvValue(csv, columns.get(i), row[i]);
    }
    csv.writeEndArray();
  }
}
