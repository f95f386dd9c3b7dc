package dev.streamloop.engine.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;

/**
 * A SQL type as the Spark DDL text that {@link SparkSchemaText} reads: how to_json tells its
 * implementation, which gets only values, which of them are timestamps and dates (both are numbers
 * at run time) and what its struct's fields are named.
 */
final class JsonTypeText {
  private JsonTypeText() {}

  /** The type's text, or null when to_json cannot write its values. */
  static String of(RelDataType type) {
    if (type.isStruct()) {
      List<String> fields = new ArrayList<>();
      for (RelDataTypeField field : type.getFieldList()) {
        String text = of(field.getType());
        if (text == null || field.getName().contains("`")) {
          return null;
        }
        fields.add("`" + field.getName() + "`: " + text);
      }
      return "STRUCT<" + String.join(", ", fields) + ">";
    }
    return switch (type.getSqlTypeName()) {
      case ARRAY -> wrap("ARRAY<", of(type.getComponentType()));
      case MAP -> wrap("MAP<STRING, ", of(type.getValueType()));
      case CHAR, VARCHAR -> "STRING";
      case TINYINT, SMALLINT, INTEGER -> "INT";
      case BIGINT -> "BIGINT";
      // a decimal is written as the number it holds, like a double (by its value's class)
      case DECIMAL, DOUBLE, FLOAT, REAL -> "DOUBLE";
      case BOOLEAN -> "BOOLEAN";
      case TIMESTAMP -> "TIMESTAMP";
      case DATE -> "DATE";
      default -> null;
    };
  }

  private static String wrap(String open, String inner) {
    return inner == null ? null : open + inner + ">";
  }
}
