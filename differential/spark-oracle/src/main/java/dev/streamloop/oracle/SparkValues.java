package dev.streamloop.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark's values in the form the differential test compares: timestamps as epoch milliseconds,
 * dates as epoch days, decimals as plain text without trailing zeros, binary as base64, arrays as
 * JSON arrays, maps and structs as JSON objects and arrays.
 */
final class SparkValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SparkValues() {}

  static ArrayNode row(Row row) {
    ArrayNode values = NODES.arrayNode();
    for (int i = 0; i < row.length(); i++) {
      values.add(value(row.get(i)));
    }
    return values;
  }

  static JsonNode value(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof Timestamp t) {
      return NODES.numberNode(t.getTime());
    } else if (value instanceof Instant t) {
      return NODES.numberNode(t.toEpochMilli());
    } else if (value instanceof Date d) {
      return NODES.numberNode(d.toLocalDate().toEpochDay());
    } else if (value instanceof LocalDate d) {
      return NODES.numberNode(d.toEpochDay());
    } else if (value instanceof BigDecimal d) {
      return NODES.textNode(d.stripTrailingZeros().toPlainString());
    } else if (value instanceof Double d) {
      return NODES.numberNode(d);
    } else if (value instanceof Float f) {
      return NODES.numberNode(f.doubleValue());
    } else if (value instanceof Number n) {
      return NODES.numberNode(n.longValue());
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (value instanceof byte[] bytes) {
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    } else if (value instanceof Row struct) {
      return row(struct);
    } else if (value instanceof scala.collection.Seq<?> seq) {
      ArrayNode array = NODES.arrayNode();
      for (Object element : CollectionConverters.asJava(seq)) {
        array.add(value(element));
      }
      return array;
    } else if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode();
      list.forEach(element -> array.add(value(element)));
      return array;
    } else if (value instanceof scala.collection.Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      for (Map.Entry<?, ?> entry : CollectionConverters.asJava(map).entrySet()) {
        object.set(String.valueOf(entry.getKey()), value(entry.getValue()));
      }
      return object;
    }
    return NODES.textNode(value.toString());
  }
}
