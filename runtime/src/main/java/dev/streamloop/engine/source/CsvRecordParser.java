package dev.streamloop.engine.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.streamloop.engine.Column;
import java.io.IOException;
import java.util.List;

/** Decodes a CSV line (Jackson's CSV parser) into a row, columns by position. */
public final class CsvRecordParser implements RecordParser {
  private final List<Column> columns;
  private final com.fasterxml.jackson.databind.ObjectReader reader;

  public CsvRecordParser(List<Column> columns, char delimiter) {
    this.columns = columns;
    CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
    this.reader =
        mapper
            .readerFor(String[].class)
            .with(CsvSchema.emptySchema().withColumnSeparator(delimiter));
  }

  private static IllegalArgumentException malformed(Exception e) {
    String message =
        e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    long column =
        e instanceof JsonProcessingException p && p.getLocation() != null
            ? p.getLocation().getColumnNr()
            : -1;
    return new IllegalArgumentException("malformed CSV: " + Values.withoutData(message, column));
  }

  @Override
  public Object[] parse(byte[] bytes, int offset, int length) {
    String[] fields;
    try (MappingIterator<String[]> it = reader.readValues(bytes, offset, length)) {
      if (!it.hasNext()) {
        throw new IllegalArgumentException("empty CSV line");
      }
      fields = it.next();
    } catch (IOException e) {
      throw malformed(e);
    } catch (RuntimeJsonMappingException e) {
      // the iterator wraps a parse error (a quote never closed) in an unchecked exception: a bad
      // record all the same, under the query's policy
      throw malformed(e.getCause() instanceof JsonProcessingException p ? p : e);
    }
    if (fields.length != columns.size()) {
      throw new IllegalArgumentException(
          "expected " + columns.size() + " CSV fields, found " + fields.length);
    }
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < fields.length; i++) {
      if (!fields[i].isEmpty()
          || columns.get(i).kind() == dev.streamloop.engine.ColumnKind.STRING) {
        try {
          row[i] = fields[i].isEmpty() ? null : Values.fromText(fields[i], columns.get(i).kind());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "column \"" + columns.get(i).name() + "\": " + e.getMessage(), e);
        }
      }
    }
    return row;
  }
}
