package dev.streamloop.engine.source;

import dev.streamloop.engine.ColumnKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Converts decoded field values to the engine's row representation (Calcite's): timestamps as epoch
 * milliseconds, dates as epoch days. A value that does not fit its column's type is a bad record:
 * {@link IllegalArgumentException} says why.
 */
public final class Values {
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
        case DECIMAL -> new BigDecimal(text.trim());
        case DATE -> (int) LocalDate.parse(text.trim()).toEpochDay();
        case TIMESTAMP -> parseTimestamp(text.trim());
        case BINARY -> new ByteString(Base64.getDecoder().decode(text.trim()));
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "\"" + abbreviate(text) + "\" is not a valid " + kind.name().toLowerCase());
    }
  }

  /** From a JSON number. */
  public static Object fromNumber(Number number, boolean integral, ColumnKind kind) {
    return switch (kind) {
      case INT -> {
        if (!integral || number.longValue() != number.intValue()) {
          throw new IllegalArgumentException(number + " is not a valid int");
        }
        yield number.intValue();
      }
      case LONG -> {
        if (!integral) {
          throw new IllegalArgumentException(number + " is not a valid long");
        }
        yield number.longValue();
      }
      case DOUBLE -> number.doubleValue();
      case DECIMAL -> new BigDecimal(number.toString());
      case TIMESTAMP -> {
        if (!integral) {
          throw new IllegalArgumentException(number + " is not epoch milliseconds");
        }
        yield number.longValue();
      }
      case STRING -> number.toString();
      default ->
          throw new IllegalArgumentException(
              number + " is not a valid " + kind.name().toLowerCase());
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

  static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
