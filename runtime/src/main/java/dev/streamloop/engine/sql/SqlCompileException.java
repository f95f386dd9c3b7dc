package dev.streamloop.engine.sql;

/**
 * The query does not compile: a syntax error, an unknown table or column, or a construct the runner
 * does not support. The message gives the line and column and, for unknown names, the closest known
 * name.
 */
public class SqlCompileException extends Exception {
  private final int line;
  private final int column;

  public SqlCompileException(String message, int line, int column, Throwable cause) {
    super(
        (line > 0 ? "SQL error at line " + line + ", column " + column + ": " : "SQL error: ")
            + message,
        cause);
    this.line = line;
    this.column = column;
  }

  /** An error at a place in the query, as the parser gives it. */
  static SqlCompileException at(org.apache.calcite.sql.parser.SqlParserPos pos, String message) {
    return new SqlCompileException(message, pos.getLineNum(), pos.getColumnNum(), null);
  }

  /** 1-based line of the error; 0 when it has no position. */
  public int line() {
    return line;
  }

  /** 1-based column of the error; 0 when it has no position. */
  public int column() {
    return column;
  }
}
