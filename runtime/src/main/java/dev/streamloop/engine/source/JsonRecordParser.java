package dev.streamloop.engine.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamloop.engine.Column;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a JSON object into a row with Jackson's streaming parser: fields by name, unknown fields
 * skipped, missing fields null.
 */
public final class JsonRecordParser implements RecordParser {
  /** Jackson's faster double parser: the JDK's took 7% of a runner's time on W1's amounts. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private static final ObjectMapper TREES = new ObjectMapper();

  private final List<Column> columns;
  private final Map<String, Integer> index = new HashMap<>();

  public JsonRecordParser(List<Column> columns) {
    this.columns = columns;
    for (int i = 0; i < columns.size(); i++) {
      index.put(columns.get(i).name(), i);
      index.putIfAbsent(columns.get(i).name().toLowerCase(), i);
    }
  }

  @Override
  public Object[] parse(byte[] bytes, int offset, int length) {
    Object[] row = new Object[columns.size()];
    try (JsonParser parser = FACTORY.createParser(bytes, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        Integer i = index.get(name);
        if (i == null) {
          i = index.get(name.toLowerCase());
        }
        if (i == null) {
          parser.skipChildren();
          continue;
        }
        row[i] = value(parser, value, columns.get(i));
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new IllegalArgumentException("not a single JSON object");
      }
      return row;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "malformed JSON: "
              + Values.withoutData(
                  e.getOriginalMessage(),
                  e.getLocation() == null ? -1 : e.getLocation().getColumnNr()));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "malformed JSON: " + Values.withoutData(e.getMessage(), -1));
    }
  }

  private static Object value(JsonParser parser, JsonToken token, Column column)
      throws IOException {
    try {
      return switch (token) {
        case VALUE_NULL -> null;
        case VALUE_STRING -> Values.fromText(parser.getText(), column.kind());
        case VALUE_NUMBER_INT -> Values.fromNumber(parser.getNumberValue(), true, column.kind());
        case VALUE_NUMBER_FLOAT -> Values.fromNumber(parser.getNumberValue(), false, column.kind());
        case VALUE_TRUE, VALUE_FALSE -> {
          if (column.kind() == dev.streamloop.engine.ColumnKind.BOOLEAN) {
            yield token == JsonToken.VALUE_TRUE;
          }
          if (column.kind() == dev.streamloop.engine.ColumnKind.STRING) {
            yield parser.getText();
          }
          throw new IllegalArgumentException("a boolean is not a valid " + kindName(column));
        }
        default -> {
          if (column.kind() == dev.streamloop.engine.ColumnKind.STRING) {
            // nested JSON into a string column: keep its text, for JSON_VALUE and friends
            yield readTree(parser);
          }
          throw new IllegalArgumentException("nested JSON is not a valid " + kindName(column));
        }
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field \"" + column.name() + "\": " + e.getMessage(), e);
    }
  }

  private static String readTree(JsonParser parser) throws IOException {
    return TREES.readTree(parser).toString();
  }

  private static String kindName(Column column) {
    return column.kind().name().toLowerCase();
  }
}
