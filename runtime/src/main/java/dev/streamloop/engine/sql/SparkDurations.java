package dev.streamloop.engine.sql;

import java.util.Locale;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.parser.SqlParserUtil;

/** The durations Spark's window() takes, in milliseconds (the engine's time precision). */
final class SparkDurations {
  private SparkDurations() {}

  /**
   * A duration as Spark's window takes it: text such as '10 minutes' or '1 hour 30 seconds'
   * (optionally after the word interval), an interval literal, or Spark's {@code INTERVAL 5
   * SECONDS} (a number and a unit to the parser). Months and years are refused as Spark refuses
   * them; the engine's time has millisecond precision.
   */
  static long millis(SqlNode node, String parameter) throws SqlCompileException {
    if (isNumberOfUnits(node)) { // Spark's INTERVAL 5 SECONDS: a number and a unit to the parser
      SqlBasicCall interval = (SqlBasicCall) node;
      SqlIntervalQualifier unit = interval.operand(1);
      if (unit.isYearMonth()) {
        throw SqlCompileException.at(
            node.getParserPosition(), "Intervals greater than a month is not supported.");
      }
      long amount = ((SqlNumericLiteral) interval.operand(0)).longValue(true);
      return Math.multiplyExact(amount, unit.getStartUnit().multiplier.longValueExact());
    }
    if (node instanceof SqlIntervalLiteral literal) {
      SqlIntervalLiteral.IntervalValue value =
          literal.getValueAs(SqlIntervalLiteral.IntervalValue.class);
      if (value.getIntervalQualifier().isYearMonth()) {
        throw SqlCompileException.at(
            node.getParserPosition(), "Intervals greater than a month is not supported.");
      }
      return SqlParserUtil.intervalToMillis(value);
    }
    if (!(node instanceof SqlCharStringLiteral literal)) {
      throw SqlCompileException.at(
          node.getParserPosition(),
          "The " + parameter + " of window must be a duration such as '10 minutes'");
    }
    String text = literal.getValueAs(String.class).trim().toLowerCase(Locale.ROOT);
    String[] words = text.replaceFirst("^interval\\s+", "").split("\\s+");
    if (words.length % 2 != 0 || text.isEmpty()) {
      throw badDuration(node, text);
    }
    long total = 0;
    for (int i = 0; i < words.length; i += 2) {
      long amount;
      try {
        amount = Long.parseLong(words[i]);
      } catch (NumberFormatException e) {
        throw badDuration(node, text);
      }
      long unit =
          switch (words[i + 1].replaceFirst("s$", "")) {
            case "week" -> 7L * 24 * 3600 * 1000;
            case "day" -> 24L * 3600 * 1000;
            case "hour" -> 3600L * 1000;
            case "minute" -> 60L * 1000;
            case "second" -> 1000L;
            case "millisecond" -> 1L;
            case "month", "year" -> -1L;
            default -> 0;
          };
      if (unit < 0) {
        throw SqlCompileException.at(
            node.getParserPosition(),
            "Intervals greater than a month is not supported (" + text + ").");
      }
      if (unit == 0) {
        throw badDuration(node, text);
      }
      total = Math.addExact(total, Math.multiplyExact(amount, unit));
    }
    return total;
  }

  /** Whether {@code node} is a constant duration (text, an interval, a number of intervals). */
  static boolean isConstant(SqlNode node) {
    return node instanceof SqlIntervalLiteral
        || node instanceof SqlCharStringLiteral
        || isNumberOfUnits(node);
  }

  private static boolean isNumberOfUnits(SqlNode node) {
    return node instanceof SqlBasicCall call
        && call.getKind() == SqlKind.INTERVAL
        && call.operandCount() == 2
        && call.operand(0) instanceof SqlNumericLiteral number
        && number.isInteger()
        && call.operand(1) instanceof SqlIntervalQualifier;
  }

  private static SqlCompileException badDuration(SqlNode node, String text) {
    return SqlCompileException.at(
        node.getParserPosition(),
        "The duration '"
            + text
            + "' is not valid: write a number and a unit (week, day, hour, minute, second,"
            + " millisecond), such as '10 minutes' or '1 hour 30 seconds'");
  }
}
