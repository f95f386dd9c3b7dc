package dev.streamloop.engine.sql;

import dev.streamloop.engine.ColumnKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a schema in Spark's DDL form, as {@code from_json} takes it: {@code 'a INT, b STRING'} or
 * {@code 'STRUCT<a: INT, b: ARRAY<STRING>>'}, names plain or backquoted, a colon between name and
 * type optional, {@code NOT NULL} and {@code COMMENT '...'} accepted and ignored (every field of a
 * parsed value may be NULL).
 */
final class SparkSchemaText {
  private final String text;
  private int at;

  private SparkSchemaText(String text) {
    this.text = text;
  }

  /**
   * The type {@code text} declares: a struct's fields, or one type written whole ({@code
   * STRUCT<...>}, {@code ARRAY<...>}, {@code MAP<...>}); an IllegalArgumentException says what is
   * wrong.
   */
  static JsonStructType parse(String text) {
    SparkSchemaText reader = new SparkSchemaText(text);
    JsonStructType struct;
    if (List.of("STRUCT", "ARRAY", "MAP").contains(reader.peekWord().toUpperCase(Locale.ROOT))
        && reader.hasAngleAfterWord()) {
      struct = reader.type();
    } else {
      struct = reader.fields(false);
    }
    reader.skipSpaces();
    if (reader.at < text.length()) {
      throw reader.error("unexpected '" + text.charAt(reader.at) + "'");
    }
    return struct;
  }

  private JsonStructType fields(boolean inAngles) {
    List<String> names = new ArrayList<>();
    List<JsonStructType> types = new ArrayList<>();
    do {
      skipSpaces();
      if (inAngles && peek() == '>') {
        break; // STRUCT<>
      }
      names.add(name());
      skipSpaces();
      if (peek() == ':') {
        at++;
      }
      types.add(type());
      skipModifiers();
      skipSpaces();
    } while (accept(','));
    if (names.isEmpty()) {
      throw error("no fields");
    }
    return new JsonStructType(null, List.copyOf(names), List.copyOf(types), "STRUCT");
  }

  private JsonStructType type() {
    skipSpaces();
    String word = word().toUpperCase(Locale.ROOT);
    switch (word) {
      case "ARRAY" -> {
        expect('<');
        JsonStructType element = type();
        expect('>');
        return new JsonStructType(null, List.of(), List.of(element), "ARRAY");
      }
      case "MAP" -> {
        expect('<');
        JsonStructType key = type();
        if (key.kind() != ColumnKind.STRING) {
          throw error("a map's keys must be STRING (JSON object keys are text)");
        }
        expect(',');
        JsonStructType value = type();
        expect('>');
        return new JsonStructType(null, List.of(), List.of(value), "MAP");
      }
      case "STRUCT" -> {
        expect('<');
        JsonStructType struct = fields(true);
        expect('>');
        return struct;
      }
      default -> {
        return JsonStructType.scalar(kind(word));
      }
    }
  }

  private ColumnKind kind(String word) {
    switch (word) {
      case "STRING", "VARCHAR", "CHAR" -> {
        skipLength();
        return ColumnKind.STRING;
      }
      case "INT", "INTEGER" -> {
        return ColumnKind.INT;
      }
      case "BIGINT", "LONG" -> {
        return ColumnKind.LONG;
      }
      case "DOUBLE" -> {
        return ColumnKind.DOUBLE;
      }
      case "BOOLEAN" -> {
        return ColumnKind.BOOLEAN;
      }
      case "TIMESTAMP", "TIMESTAMP_LTZ" -> {
        return ColumnKind.TIMESTAMP;
      }
      case "DATE" -> {
        return ColumnKind.DATE;
      }
      default -> {
        at -= word.length(); // the error points at the type
        throw error(
            "type "
                + (word.isEmpty() ? "missing" : word + " is not supported here")
                + " (supported: STRING, INT, BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, DATE,"
                + " ARRAY<...>, MAP<STRING, ...>, STRUCT<...>)");
      }
    }
  }

  private String name() {
    if (peek() == '`') {
      int end = text.indexOf('`', at + 1);
      if (end < 0) {
        throw error("unclosed `");
      }
      String name = text.substring(at + 1, end);
      at = end + 1;
      return name;
    }
    String name = word();
    if (name.isEmpty()) {
      throw error("a field name expected");
    }
    return name;
  }

  private void skipModifiers() {
    skipSpaces();
    if (peekWord().equalsIgnoreCase("NOT")) {
      word();
      skipSpaces();
      if (!word().equalsIgnoreCase("NULL")) {
        throw error("NOT NULL expected");
      }
      skipSpaces();
    }
    if (peekWord().equalsIgnoreCase("COMMENT")) {
      word();
      skipSpaces();
      char quote = peek();
      int end = quote == '\'' || quote == '"' ? text.indexOf(quote, at + 1) : -1;
      if (end < 0) {
        throw error("a quoted comment expected");
      }
      at = end + 1;
    }
  }

  private void skipLength() {
    skipSpaces();
    if (peek() == '(') {
      int end = text.indexOf(')', at);
      at = end < 0 ? text.length() : end + 1;
    }
  }

  private String word() {
    skipSpaces();
    int start = at;
    while (at < text.length()
        && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
      at++;
    }
    return text.substring(start, at);
  }

  private String peekWord() {
    int saved = at;
    String word = word();
    at = saved;
    return word;
  }

  private boolean hasAngleAfterWord() {
    int saved = at;
    word();
    skipSpaces();
    boolean angle = peek() == '<';
    at = saved;
    return angle;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private boolean accept(char c) {
    skipSpaces();
    if (peek() == c) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!accept(c)) {
      throw error("'" + c + "' expected");
    }
  }

  private void skipSpaces() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        "the schema '" + text + "' does not parse at character " + (at + 1) + ": " + what);
  }
}
