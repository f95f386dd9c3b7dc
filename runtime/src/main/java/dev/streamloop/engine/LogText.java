package dev.streamloop.engine;

/**
 * Text from outside (file names, record values) made safe for a log line or the termination log:
 * control characters are written as escapes (\n, \r, \t, \u001b), so a file named with a newline
 * cannot forge a line, and data cannot send escape sequences to a terminal.
 */
public final class LogText {
  private LogText() {}

  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escaped = escaped(c);
      if (escaped != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (escaped != null) {
          out.append(escaped);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String escaped(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default ->
          c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
              ? String.format("\\u%04x", (int) c)
              : null;
    };
  }
}
