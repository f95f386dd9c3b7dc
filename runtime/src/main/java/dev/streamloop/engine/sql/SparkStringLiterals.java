package dev.streamloop.engine.sql;

/**
 * Spark's escapes in string literals ({@code spark.sql.parser.escapedStringLiterals} false, its
 * default): '\\d' is the two characters \d, '\d' the letter d, '\n' a line break. Calcite's
 * literals keep every backslash, so a regular expression written for Spark would match something
 * else.
 */
final class SparkStringLiterals {
  private SparkStringLiterals() {}

  static String unescape(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 == text.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = text.charAt(i + 1);
      if (next == 'u' && i + 6 <= text.length() && isHex(text, i + 2, i + 6)) {
        out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
        i += 6;
      } else if (i + 4 <= text.length() && isOctal(text, i + 1)) {
        out.append((char) Integer.parseInt(text.substring(i + 1, i + 4), 8));
        i += 4;
      } else {
        switch (next) {
          case '0' -> out.append('\u0000');
          case 'b' -> out.append('\b');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'Z' -> out.append('\u001A');
          case '%', '_' -> out.append('\\').append(next); // LIKE's escapes stay escaped
          default -> out.append(next);
        }
        i += 2;
      }
    }
    return out.toString();
  }

  private static boolean isHex(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Three octal digits, the first 0 to 3 (one byte), as Spark reads them. */
  private static boolean isOctal(String text, int from) {
    char a = text.charAt(from);
    char b = text.charAt(from + 1);
    char c = text.charAt(from + 2);
    return a >= '0' && a <= '3' && b >= '0' && b <= '7' && c >= '0' && c <= '7';
  }
}
