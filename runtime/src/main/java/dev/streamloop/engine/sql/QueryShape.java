package dev.streamloop.engine.sql;

/**
 * Bounds on a query's shape, checked on its text before Calcite sees it: how deeply parentheses and
 * CASE expressions nest, and how many set operations (UNION ALL) it chains. Calcite parses,
 * validates and plans by recursion, so a query beyond them (thousands of nested parentheses, a
 * UNION ALL of a thousand branches) used to end in a StackOverflowError, and whether it did
 * depended on the thread's stack; now it is a compile error with a position, the same in {@code
 * validate} and {@code run}.
 */
final class QueryShape {
  /** The deepest nesting of parentheses and CASE expressions. */
  static final int MAX_DEPTH = 200;

  /** The most UNION, INTERSECT and EXCEPT operations. */
  static final int MAX_SET_OPERATIONS = 200;

  /**
   * The most operators (+ - * / % ||, AND, OR): the generated code holds a local variable per
   * operation, and Janino's compile time and memory grow with their square (5,000 terms took more
   * than half a gigabyte).
   */
  static final int MAX_OPERATORS = 1000;

  private QueryShape() {}

  static void check(String sql) throws SqlCompileException {
    int depth = 0;
    int setOperations = 0;
    int operators = 0;
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\n') {
        line++;
        lineStart = i + 1;
      } else if (c == '\'' || c == '"' || c == '`') {
        i = endOfQuoted(sql, i, c);
      } else if (c == '-' && sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = (end < 0 ? sql.length() : end) - 1;
      } else if (c == '/' && sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        for (int j = i; j < (end < 0 ? sql.length() : end); j++) {
          if (sql.charAt(j) == '\n') {
            line++;
            lineStart = j + 1;
          }
        }
        i = end < 0 ? sql.length() : end + 1;
      } else if ("+-*/%|".indexOf(c) >= 0) {
        operators = more(operators, line, i - lineStart + 1);
      } else if (c == '(') {
        depth = deeper(depth, line, i - lineStart + 1);
      } else if (c == ')') {
        depth--;
      } else if (Character.isLetter(c) && (i == 0 || !isWordChar(sql.charAt(i - 1)))) {
        int end = i;
        while (end < sql.length() && isWordChar(sql.charAt(end))) {
          end++;
        }
        String word = sql.substring(i, end);
        if (word.equalsIgnoreCase("CASE")) {
          depth = deeper(depth, line, i - lineStart + 1);
        } else if (word.equalsIgnoreCase("END")) {
          depth--;
        } else if (word.equalsIgnoreCase("AND") || word.equalsIgnoreCase("OR")) {
          operators = more(operators, line, i - lineStart + 1);
        } else if (word.equalsIgnoreCase("UNION")
            || word.equalsIgnoreCase("INTERSECT")
            || word.equalsIgnoreCase("EXCEPT")) {
          if (++setOperations > MAX_SET_OPERATIONS) {
            throw new SqlCompileException(
                "the query chains more than "
                    + MAX_SET_OPERATIONS
                    + " set operations (UNION ALL): split it into several queries",
                line,
                i - lineStart + 1,
                null);
          }
        }
        i = end - 1;
      }
    }
  }

  private static int more(int operators, int line, int column) throws SqlCompileException {
    if (operators + 1 > MAX_OPERATORS) {
      throw new SqlCompileException(
          "the query has more than "
              + MAX_OPERATORS
              + " operators (+, -, *, /, %, ||, AND, OR): simplify it, or split it into several"
              + " queries",
          line,
          column,
          null);
    }
    return operators + 1;
  }

  private static int deeper(int depth, int line, int column) throws SqlCompileException {
    if (depth + 1 > MAX_DEPTH) {
      throw new SqlCompileException(
          "parentheses and CASE expressions nest more than "
              + MAX_DEPTH
              + " deep here: simplify the expression",
          line,
          column,
          null);
    }
    return depth + 1;
  }

  private static int endOfQuoted(String sql, int start, char quote) {
    for (int i = start + 1; i < sql.length(); i++) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i++; // a doubled quote stands for itself
        } else {
          return i;
        }
      }
    }
    return sql.length();
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
