package dev.streamloop.engine.source;

import dev.streamloop.engine.ColumnKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Converts decoded field values to the engine's row representation (Calcite's): timestamps as epoch
 * milliseconds, dates as epoch days. A value that does not fit its column's type is a bad record,
 * as under Spark 4's ANSI rules: {@link IllegalArgumentException} says why. That includes integers
 * beyond the column's bits (never wrapped), decimals with more than 38 digits before the point, and
 * timestamps and dates outside years 1 to 9999 (which every sink can write, and whose event-time
 * arithmetic cannot overflow).
 */
public final class Values {
  /** 0001-01-01T00:00:00Z, the first supported instant. */
  public static final long MIN_TIMESTAMP_MS = -62_135_596_800_000L;

  /** 9999-12-31T23:59:59.999Z, the last supported instant. */
  public static final long MAX_TIMESTAMP_MS = 253_402_300_799_999L;

  private static final int MAX_DECIMAL_INTEGER_DIGITS = 38;

  private Values() {}

  /** From text (CSV fields, JSON strings). */
  public static Object fromText(String text, ColumnKind kind) {
    try {
      return switch (kind) {
        case STRING -> text;
        case BOOLEAN -> parseBoolean(text);
        case INT -> Integer.parseInt(text.trim());
        case LONG -> Long.parseLong(text.trim());
        case DOUBLE -> Double.parseDouble(text.trim());
        case DECIMAL -> decimal(new BigDecimal(text.trim()));
        case DATE -> date(LocalDate.parse(text.trim()));
        case TIMESTAMP -> timestamp(parseTimestamp(text.trim()));
        case BINARY -> new ByteString(Base64.getDecoder().decode(text.trim()));
      };
    } catch (NumberFormatException | DateTimeException e) {
      // the value itself stays out: messages reach logs and the termination log (the dead
      // letters keep the whole record)
      throw new IllegalArgumentException(
          "a text of "
              + text.length()
              + (text.length() == 1 ? " character" : " characters")
              + " is not a valid "
              + name(kind)
              + (kind == ColumnKind.TIMESTAMP ? TIMESTAMP_FORMS : ""));
    }
  }

  private static final String TIMESTAMP_FORMS =
      " (accepted: epoch milliseconds, or ISO-8601 with a zone such as 2023-11-14T22:13:20Z or"
          + " 2023-11-14T22:13:20.123+01:00)";

  /** From a JSON number. */
  public static Object fromNumber(Number number, boolean integral, ColumnKind kind) {
    if (integral
        && number instanceof BigInteger big
        && big.bitLength() > 63
        && kind != ColumnKind.DECIMAL
        && kind != ColumnKind.STRING
        && kind != ColumnKind.DOUBLE) {
      // Jackson gives integers beyond 64 bits as BigInteger, whose longValue() wraps
      throw new IllegalArgumentException(
          "an integer beyond 64 bits does not fit a column of type " + name(kind));
    }
    return switch (kind) {
      case INT -> {
        if (!integral) {
          throw new IllegalArgumentException("a fractional number is not a valid int");
        }
        if (number.longValue() != number.intValue()) {
          throw new IllegalArgumentException("an integer beyond 32 bits does not fit an int");
        }
        yield number.intValue();
      }
      case LONG -> {
        if (!integral) {
          throw new IllegalArgumentException("a fractional number is not a valid long");
        }
        yield number.longValue();
      }
      case DOUBLE -> number.doubleValue();
      case DECIMAL -> decimal(new BigDecimal(number.toString()));
      case TIMESTAMP -> {
        if (!integral) {
          throw new IllegalArgumentException("a fractional number is not epoch milliseconds");
        }
        yield timestamp(number.longValue());
      }
      case STRING -> number.toString();
      default -> throw new IllegalArgumentException("a number is not a valid " + name(kind));
    };
  }

  private static Boolean parseBoolean(String text) {
    String t = text.trim().toLowerCase();
    if (t.equals("true")) {
      return Boolean.TRUE;
    }
    if (t.equals("false")) {
      return Boolean.FALSE;
    }
    throw new NumberFormatException();
  }

  /** Epoch milliseconds, or ISO-8601 with an offset (2023-11-14T22:13:20.123Z). */
  private static long parseTimestamp(String text) {
    if (!text.isEmpty()
        && (Character.isDigit(text.charAt(0)) || text.charAt(0) == '-')
        && text.chars().skip(1).allMatch(Character::isDigit)) {
      return Long.parseLong(text);
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    }
  }

  /** Epoch milliseconds, refused outside years 1 to 9999. */
  private static long timestamp(long epochMillis) {
    if (epochMillis < MIN_TIMESTAMP_MS || epochMillis > MAX_TIMESTAMP_MS) {
      throw new IllegalArgumentException(
          "a timestamp outside the supported timestamps (years 1 to 9999, as Spark's)");
    }
    return epochMillis;
  }

  private static int date(LocalDate date) {
    if (date.getYear() < 1 || date.getYear() > 9999) {
      throw new IllegalArgumentException(
          "a date outside the supported dates (years 1 to 9999, as Spark's)");
    }
    return (int) date.toEpochDay();
  }

  /** A decimal that Spark's DECIMAL(38, s) can hold: at most 38 digits before the point. */
  private static BigDecimal decimal(BigDecimal value) {
    if ((long) value.precision() - value.scale() > MAX_DECIMAL_INTEGER_DIGITS) {
      throw new IllegalArgumentException(
          "a number with "
              + ((long) value.precision() - value.scale())
              + " digits before the point does not fit a decimal (at most "
              + MAX_DECIMAL_INTEGER_DIGITS
              + ")");
    }
    return value;
  }

  /**
   * A parser's message without the data it quotes ("Unrecognized token 'secret'" becomes
   * "Unrecognized token"), and where in the record it stopped.
   */
  static String withoutData(String message, long characterInRecord) {
    String text = String.valueOf(message);
    int cut = text.length();
    for (char c : new char[] {'\'', '"', '(', ':', '\n'}) {
      int at = text.indexOf(c);
      cut = at >= 0 ? Math.min(cut, at) : cut;
    }
    return text.substring(0, cut).strip()
        + (characterInRecord > 0 ? " at character " + characterInRecord : "");
  }

  private static String name(ColumnKind kind) {
    return kind.name().toLowerCase();
  }
}
