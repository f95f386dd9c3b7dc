package dev.streamloop.engine.sql;

/**
 * Spark's backquoted identifiers ({@code `user`}) in a query of Calcite's dialect, where a
 * backquote means nothing else: each becomes the double-quoted identifier it stands for before
 * parsing, outside string literals and comments. The text keeps its length, so every position in a
 * parse or validation error still points into the query as written. A backquoted name that holds a
 * double quote or a doubled backquote (rare) is left as it is, and the parser names it.
 */
final class BackquotedIdentifiers {
  private BackquotedIdentifiers() {}

  static String toDoubleQuoted(String sql) {
    if (sql.indexOf('`') < 0) {
      return sql;
    }
    char[] text = sql.toCharArray();
    int i = 0;
    while (i < text.length) {
      char c = text[i];
      if (c == '\'' || c == '"') {
        i = endOfQuoted(text, i, c);
      } else if (c == '-' && i + 1 < text.length && text[i + 1] == '-') {
        while (i < text.length && text[i] != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < text.length && text[i + 1] == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? text.length : end + 2;
      } else if (c == '`') {
        int end = sql.indexOf('`', i + 1);
        if (end < 0) {
          return sql; // unterminated: the parser's error names it
        }
        String name = sql.substring(i + 1, end);
        boolean doubled = end + 1 < text.length && text[end + 1] == '`';
        if (!name.contains("\"") && !doubled) {
          text[i] = '"';
          text[end] = '"';
        }
        i = end + 1;
      } else {
        i++;
      }
    }
    return new String(text);
  }

  /** The index after the literal or identifier that starts at {@code start} with {@code quote}. */
  static int endOfQuoted(char[] text, int start, char quote) {
    int i = start + 1;
    while (i < text.length) {
      if (text[i] == quote) {
        if (i + 1 < text.length && text[i + 1] == quote) {
          i += 2; // a doubled quote stands for itself
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return text.length;
  }
}
