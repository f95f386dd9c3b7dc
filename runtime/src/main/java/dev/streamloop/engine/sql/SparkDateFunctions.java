package dev.streamloop.engine.sql;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.linq4j.function.Strict;
import org.apache.calcite.runtime.SqlFunctions;

/**
 * Spark's date and time functions that streaming queries use, with Spark 4's results in the session
 * time zone UTC (the runner's): date_format, to_date, to_timestamp, from_unixtime, unix_timestamp,
 * date_trunc, date_add, date_sub, datediff. Patterns are Spark's datetime patterns (yyyy-MM-dd
 * HH:mm:ss and the like, which java.time reads the same way). Text that does not parse is an error
 * with Spark's error class (ANSI mode, Spark 4's default), under the query's bad-record rules for
 * evaluation errors.
 *
 * <p>Calcite hands TIMESTAMP and DATE arguments over as java.sql values shifted by the JVM's zone
 * (as it was when Calcite loaded); {@link SqlFunctions#toLong(Timestamp)} and {@link
 * SqlFunctions#internalToTimestamp(long)} undo and redo that shift, so the functions see and give
 * the engine's UTC milliseconds. The runner fixes its zone to UTC at start (Main), so that the zone
 * never changes under Calcite.
 */
public final class SparkDateFunctions {
  private static final String DEFAULT_TIMESTAMP = "yyyy-MM-dd HH:mm:ss";
  private static final Map<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();

  private SparkDateFunctions() {}

  private static DateTimeFormatter formatter(String pattern) {
    return FORMATTERS.computeIfAbsent(
        pattern,
        p -> {
          try {
            return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendPattern(p)
                .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                .toFormatter(Locale.US)
                .withZone(ZoneOffset.UTC);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "[INVALID_DATETIME_PATTERN] Unrecognized datetime pattern: " + p, e);
          }
        });
  }

  private static long millis(Timestamp ts) {
    return SqlFunctions.toLong(ts);
  }

  private static Timestamp timestamp(long millis) {
    return SqlFunctions.internalToTimestamp(millis);
  }

  private static LocalDate localDate(Date date) {
    return LocalDate.ofEpochDay(SqlFunctions.toInt(date));
  }

  private static Date date(LocalDate date) {
    return SqlFunctions.internalToDate((int) date.toEpochDay());
  }

  @Strict
  public static String dateFormat(Timestamp ts, String pattern) {
    return formatter(pattern).format(Instant.ofEpochMilli(millis(ts)));
  }

  @Strict
  public static String dateFormat(Date date, String pattern) {
    return formatter(pattern).format(localDate(date).atStartOfDay(ZoneOffset.UTC));
  }

  /** to_date(text): the date of a timestamp or date text, as CAST(text AS DATE). */
  @Strict
  public static Date toDate(String text) {
    String trimmed = text.trim();
    try {
      return date(LocalDate.parse(trimmed.length() > 10 ? trimmed.substring(0, 10) : trimmed));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "[CAST_INVALID_INPUT] The value '"
              + text
              + "' of the type \"STRING\" cannot be cast to \"DATE\" because it is malformed."
              + " Use try_to_date, or to_date(text, pattern) with its pattern",
          e);
    }
  }

  @Strict
  public static Date toDate(String text, String pattern) {
    return date(LocalDate.ofInstant(Instant.ofEpochMilli(parse(text, pattern)), ZoneOffset.UTC));
  }

  @Strict
  public static Date toDate(Timestamp ts) {
    return date(LocalDate.ofInstant(Instant.ofEpochMilli(millis(ts)), ZoneOffset.UTC));
  }

  @Strict
  public static Timestamp toTimestamp(String text) {
    String trimmed = text.trim().replace(' ', 'T');
    try {
      if (trimmed.length() == 10) {
        return timestamp(
            LocalDate.parse(trimmed).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
      }
      if (trimmed.endsWith("Z") || trimmed.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return timestamp(
            Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(trimmed)).toEpochMilli());
      }
      return timestamp(LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC).toEpochMilli());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "[CAST_INVALID_INPUT] The value '"
              + text
              + "' of the type \"STRING\" cannot be cast to \"TIMESTAMP\" because it is malformed."
              + " Use to_timestamp(text, pattern) with its pattern",
          e);
    }
  }

  @Strict
  public static Timestamp toTimestamp(String text, String pattern) {
    return timestamp(parse(text, pattern));
  }

  private static long parse(String text, String pattern) {
    try {
      var parsed = formatter(pattern).parse(text.trim());
      LocalDate day =
          LocalDate.of(
              parsed.isSupported(ChronoField.YEAR) ? parsed.get(ChronoField.YEAR) : 1970,
              parsed.isSupported(ChronoField.MONTH_OF_YEAR)
                  ? parsed.get(ChronoField.MONTH_OF_YEAR)
                  : 1,
              parsed.isSupported(ChronoField.DAY_OF_MONTH)
                  ? parsed.get(ChronoField.DAY_OF_MONTH)
                  : 1);
      long ofDay =
          parsed.isSupported(ChronoField.MILLI_OF_DAY)
              ? parsed.getLong(ChronoField.MILLI_OF_DAY)
              : 0;
      if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
        return parsed.getLong(ChronoField.INSTANT_SECONDS) * 1000
            + (parsed.isSupported(ChronoField.MILLI_OF_SECOND)
                ? parsed.get(ChronoField.MILLI_OF_SECOND)
                : 0);
      }
      return day.toEpochDay() * 86_400_000L + ofDay;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "[CANNOT_PARSE_TIMESTAMP] Text '"
              + text
              + "' could not be parsed with the pattern '"
              + pattern
              + "'. Fix the input or the pattern (Spark's datetime patterns)",
          e);
    }
  }

  @Strict
  public static String fromUnixtime(long seconds) {
    return fromUnixtime(seconds, DEFAULT_TIMESTAMP);
  }

  @Strict
  public static String fromUnixtime(long seconds, String pattern) {
    return formatter(pattern).format(Instant.ofEpochSecond(seconds));
  }

  @Strict
  public static long unixTimestamp(Timestamp ts) {
    return Math.floorDiv(millis(ts), 1000);
  }

  @Strict
  public static long unixTimestamp(Date date) {
    return localDate(date).toEpochDay() * 86_400;
  }

  @Strict
  public static long unixTimestamp(String text) {
    return unixTimestamp(text, DEFAULT_TIMESTAMP);
  }

  @Strict
  public static long unixTimestamp(String text, String pattern) {
    return Math.floorDiv(parse(text, pattern), 1000);
  }

  /** date_trunc(unit, ts): Spark's units, case-insensitive. */
  @Strict
  public static Timestamp dateTrunc(String unit, Timestamp ts) {
    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis(ts)), ZoneOffset.UTC);
    LocalDateTime truncated =
        switch (unit.toUpperCase(Locale.ROOT)) {
          case "YEAR", "YYYY", "YY" -> t.toLocalDate().withDayOfYear(1).atStartOfDay();
          case "QUARTER" ->
              t.toLocalDate()
                  .withMonth(((t.getMonthValue() - 1) / 3) * 3 + 1)
                  .withDayOfMonth(1)
                  .atStartOfDay();
          case "MONTH", "MM", "MON" -> t.toLocalDate().withDayOfMonth(1).atStartOfDay();
          case "WEEK" ->
              t.toLocalDate()
                  .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                  .atStartOfDay();
          case "DAY", "DD" -> t.truncatedTo(ChronoUnit.DAYS);
          case "HOUR" -> t.truncatedTo(ChronoUnit.HOURS);
          case "MINUTE" -> t.truncatedTo(ChronoUnit.MINUTES);
          case "SECOND" -> t.truncatedTo(ChronoUnit.SECONDS);
          case "MILLISECOND", "MICROSECOND" -> t;
          default -> null; // Spark: an unknown unit gives NULL
        };
    return truncated == null ? null : timestamp(truncated.toInstant(ZoneOffset.UTC).toEpochMilli());
  }

  @Strict
  public static Date dateAdd(Date date, int days) {
    return date(localDate(date).plusDays(days));
  }

  @Strict
  public static Date dateSub(Date date, int days) {
    return date(localDate(date).minusDays(days));
  }

  /** A timestamp argument counts by its date, as Spark casts it. */
  @Strict
  public static Date dateAdd(Timestamp ts, int days) {
    return dateAdd(toDate(ts), days);
  }

  @Strict
  public static Date dateSub(Timestamp ts, int days) {
    return dateSub(toDate(ts), days);
  }

  @Strict
  public static int datediff(Timestamp end, Timestamp start) {
    return datediff(toDate(end), toDate(start));
  }

  @Strict
  public static int datediff(Date end, Date start) {
    return (int) (localDate(end).toEpochDay() - localDate(start).toEpochDay());
  }
}
