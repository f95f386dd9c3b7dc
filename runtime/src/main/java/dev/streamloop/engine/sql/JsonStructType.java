package dev.streamloop.engine.sql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.source.Values;
import java.util.ArrayList;
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
