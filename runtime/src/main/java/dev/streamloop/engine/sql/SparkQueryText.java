package dev.streamloop.engine.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Spark's {@code window(...)}, {@code window.start} and {@code window.end} (and {@code
 * session_window.start}, {@code session_window.end}) in a query's text, marked before Calcite
 * parses it (WINDOW is a reserved word to Calcite's parser, and END too after a dot) without
 * changing the text's length, so every position in an error still points into the query as written.
 * {@link SparkTimeWindows} rewrites the parse tree after.
 */
final class SparkQueryText {
  /** What an unquoted {@code window} before a parenthesis becomes: a name of the same length. */
  static final String CALL = "$windo";

  /**
   * Words that Calcite's Babel parser reads in another dialect's way: functions it parses in
   * another form (DATEDIFF(unit, a, b)), so that Spark's datediff(end, start) does not parse, and
   * VALUE right after a parenthesis (a row constructor to Babel; Kafka's value column to Spark).
   * Marked with a leading $ ($atediff, $alue) and named again in the parse tree ({@link
   * #unmarkedName}) and in parse errors ({@link #unmarkedText}).
   */
  private static final Set<String> BABEL_FUNCTIONS = Set.of("datediff", "dateadd", "date_part");

  private static final String VALUE = "value";

  /** Spark's session window function, whose struct fields are marked as {@code window}'s are. */
  static final String SESSION = "session_window";

  /** A name as written, for a name {@link #mark} marked; null for any other name. */
  static String unmarkedName(String name) {
    if (!name.startsWith("$") || name.equals(CALL)) {
      return null;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("$" + VALUE.substring(1))) {
      return VALUE;
    }
    String function = "d" + lower.substring(1);
    return BABEL_FUNCTIONS.contains(function) ? function : null;
  }

  /** {@code text} (a parse error) with the marked words as the query has them. */
  static String unmarkedText(String text) {
    return text.replace(CALL, "window").replace("$ate", "date").replace("$alue", VALUE);
  }

  /** The marked text, and where a {@code window.start} or {@code window.end} was (line:column). */
  record Marked(String text, Set<String> fields) {}

  private SparkQueryText() {}

  /**
   * Marks Spark's {@code window(} as {@link #CALL} and {@code window.start}/{@code window.end} as
   * {@code window_start}/{@code window_end} ({@code session_window.start} as {@code
   * session_window_start}), outside literals, quoted names and comments; a bare {@code window} too
   * when the query has such a call, so that selecting the struct is explained.
   */
  static Marked mark(String sql) {
    String lower = sql.toLowerCase(Locale.ROOT);
    if (!lower.contains("window") && !lower.contains("date") && !lower.contains(VALUE)) {
      return new Marked(sql, Set.of());
    }
    char[] text = sql.toCharArray();
    Set<String> fields = new HashSet<>();
    List<Integer> bare = new ArrayList<>();
    boolean called = false;
    int line = 1;
    int lineStart = 0;
    int i = 0;
    while (i < text.length) {
      char c = text[i];
      if (c == '\n') {
        line++;
        lineStart = i + 1;
        i++;
      } else if (c == '\'' || c == '"') {
        i = BackquotedIdentifiers.endOfQuoted(text, i, c);
      } else if (c == '-' && i + 1 < text.length && text[i + 1] == '-') {
        while (i < text.length && text[i] != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < text.length && text[i + 1] == '*') {
        int end = sql.indexOf("*/", i + 2);
        int stop = end < 0 ? text.length : end + 2;
        for (int j = i; j < stop; j++) {
          if (text[j] == '\n') {
            line++;
            lineStart = j + 1;
          }
        }
        i = stop;
      } else if (Character.isLetter(c) && (i == 0 || !isWordChar(text[i - 1]))) {
        int end = i;
        while (end < text.length && isWordChar(text[end])) {
          end++;
        }
        String word = sql.substring(i, end).toLowerCase(Locale.ROOT);
        int after = skipSpaces(text, end);
        if (BABEL_FUNCTIONS.contains(word) && after < text.length && text[after] == '(') {
          text[i] = '$';
        } else if (word.equals(VALUE) && afterParenthesis(text, i)) {
          text[i] = '$';
        } else if ((word.equals("window") || word.equals(SESSION))
            && (i == 0 || text[i - 1] != '.')) {
          int next = skipSpaces(text, end);
          if (word.equals("window") && next < text.length && text[next] == '(') {
            CALL.getChars(0, CALL.length(), text, i);
            called = true;
          } else if (next < text.length && text[next] == '.') {
            int fieldStart = skipSpaces(text, next + 1);
            int fieldEnd = fieldStart;
            while (fieldEnd < text.length && isWordChar(text[fieldEnd])) {
              fieldEnd++;
            }
            String field = sql.substring(fieldStart, fieldEnd).toLowerCase(Locale.ROOT);
            if ((field.equals("start") || field.equals("end"))
                && sql.substring(i, fieldEnd).indexOf('\n') < 0) {
              String column = word + "_" + field;
              for (int j = i; j < fieldEnd; j++) {
                text[j] = j - i < column.length() ? column.charAt(j - i) : ' ';
              }
              fields.add(line + ":" + (i - lineStart + 1));
              end = fieldEnd;
            }
          } else if (word.equals("window")) {
            bare.add(i);
          }
        }
        i = end;
      } else {
        i++;
      }
    }
    if (called) {
      bare.forEach(at -> CALL.getChars(0, CALL.length(), text, at));
    }
    return new Marked(new String(text), fields);
  }

  private static boolean afterParenthesis(char[] text, int at) {
    int i = at - 1;
    while (i >= 0 && Character.isWhitespace(text[i])) {
      i--;
    }
    return i >= 0 && text[i] == '(';
  }

  private static int skipSpaces(char[] text, int from) {
    int i = from;
    while (i < text.length && (text[i] == ' ' || text[i] == '\t')) {
      i++;
    }
    return i;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }
}
