package dev.streamloop.engine.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.source.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.StructKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A type of Spark's DDL as {@code from_json} takes it ({@code 'a INT, b STRING, s STRUCT<x: INT>, l
 * ARRAY<BIGINT>, m MAP<STRING, INT>'}), and how a JSON value reads as it, as Spark's permissive
 * parsing does: a value that is not of the type (text for a number, a fraction or an overflow for
 * an integer) is NULL, and its neighbours keep their values.
 *
 * @param kind The scalar's kind; null for a struct, an array or a map.
 * @param names A struct's field names (as written: JSON keys match them case-sensitively).
 * @param children A struct's field types, an array's element type, a map's value type.
 * @param container "STRUCT", "ARRAY", "MAP", or null for a scalar.
 */
record JsonStructType(
    ColumnKind kind, List<String> names, List<JsonStructType> children, String container) {

  /** Spark's to_json timestamp form in session time zone UTC: 2026-03-01T10:00:00.000Z. */
  private static final DateTimeFormatter TIMESTAMP_TEXT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  static JsonStructType scalar(ColumnKind kind) {
    return new JsonStructType(kind, List.of(), List.of(), null);
  }

  /** The SQL type: a struct is a ROW of nullable fields, every value nullable. */
  RelDataType relType(RelDataTypeFactory types) {
    RelDataType type;
    if (container == null) {
      type = BatchTable.sqlType(types, kind);
    } else if (container.equals("ARRAY")) {
      type = types.createArrayType(children.get(0).relType(types), -1);
    } else if (container.equals("MAP")) {
      type =
          types.createMapType(
              types.createSqlType(SqlTypeName.VARCHAR), children.get(0).relType(types));
    } else {
      // PEEK_FIELDS_NO_EXPAND: a field reads as j.a (Spark's form) and not only as t.j.a
      type =
          types.createStructType(
              StructKind.PEEK_FIELDS_NO_EXPAND,
              children.stream().map(child -> child.relType(types)).toList(),
              names);
    }
    return types.createTypeWithNullability(type, true);
  }

  /** {@code node} read as this type; NULL where it is not of it. */
  Object read(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (container == null) {
      return scalar(node);
    }
    return switch (container) {
      case "ARRAY" -> {
        if (!node.isArray()) {
          yield null;
        }
        List<Object> list = new ArrayList<>(node.size());
        node.forEach(element -> list.add(children.get(0).read(element)));
        yield list;
      }
      case "MAP" -> {
        if (!node.isObject()) {
          yield null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields()
            .forEachRemaining(e -> map.put(e.getKey(), children.get(0).read(e.getValue())));
        yield map;
      }
      default -> node.isObject() ? fields(node) : null;
    };
  }

  /** A struct's values from a JSON object: a field the object lacks is NULL. */
  Object[] fields(JsonNode object) {
    Object[] values = new Object[names.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = children.get(i).read(object == null ? null : object.get(names.get(i)));
    }
    return values;
  }

  /**
   * Writes {@code value} of this type as Spark's to_json does: a struct's NULL fields left out,
   * timestamps as ISO-8601 in UTC with milliseconds, dates as yyyy-MM-dd.
   */
  void write(Object value, JsonGenerator json) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (container == null) {
      writeScalar(value, json);
    } else if (container.equals("ARRAY")) {
      json.writeStartArray();
      for (Object element : (List<?>) value) {
        children.get(0).write(element, json);
      }
      json.writeEndArray();
    } else if (container.equals("MAP")) {
      json.writeStartObject();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        json.writeFieldName(String.valueOf(entry.getKey()));
        children.get(0).write(entry.getValue(), json);
      }
      json.writeEndObject();
    } else {
      List<?> fields = value instanceof Object[] array ? Arrays.asList(array) : (List<?>) value;
      json.writeStartObject();
      for (int i = 0; i < names.size(); i++) {
        if (fields.get(i) != null) {
          json.writeFieldName(names.get(i));
          children.get(i).write(fields.get(i), json);
        }
      }
      json.writeEndObject();
    }
  }

  private void writeScalar(Object value, JsonGenerator json) throws IOException {
    if (kind == ColumnKind.TIMESTAMP) {
      json.writeString(TIMESTAMP_TEXT.format(Instant.ofEpochMilli(((Number) value).longValue())));
    } else if (kind == ColumnKind.DATE) {
      json.writeString(LocalDate.ofEpochDay(((Number) value).longValue()).toString());
    } else if (value instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (value instanceof BigDecimal d) {
      json.writeNumber(d);
    } else if (value instanceof Double d) {
      json.writeNumber(d);
    } else if (value instanceof Float f) {
      json.writeNumber(f);
    } else if (value instanceof Number n) {
      json.writeNumber(n.longValue());
    } else {
      json.writeString(value.toString());
    }
  }

  private Object scalar(JsonNode node) {
    try {
      if (kind == ColumnKind.STRING) {
        return node.isTextual() ? node.textValue() : node.toString(); // other JSON as its text
      }
      if (node.isBoolean()) {
        return kind == ColumnKind.BOOLEAN ? node.booleanValue() : null;
      }
      if (node.isNumber()) {
        if (kind == ColumnKind.TIMESTAMP) {
          // a number is seconds since the epoch for Spark's JSON reader
          return node.isIntegralNumber() ? Math.multiplyExact(node.longValue(), 1000L) : null;
        }
        return kind == ColumnKind.BOOLEAN || kind == ColumnKind.DATE
            ? null
            : Values.fromNumber(node.numberValue(), node.isIntegralNumber(), kind);
      }
      if (node.isTextual()
          && (kind == ColumnKind.TIMESTAMP
              || kind == ColumnKind.DATE
              || (kind == ColumnKind.DOUBLE && isSpecialDouble(node.textValue())))) {
        return Values.fromText(node.textValue(), kind);
      }
      return null;
    } catch (IllegalArgumentException | ArithmeticException e) {
      return null;
    }
  }

  private static boolean isSpecialDouble(String text) {
    return switch (text) {
      case "NaN", "Infinity", "+Infinity", "-Infinity" -> true;
      default -> false;
    };
  }
}
