package dev.streamloop.engine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times in progress as Spark writes them: always with milliseconds ({@code
 * 2023-11-14T22:13:20.000Z}), so that tools parsing Spark's progress parse ours. {@link
 * Instant#toString()} drops a zero fraction.
 */
public final class ProgressTime {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ProgressTime() {}

  public static String format(long epochMillis) {
    return FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }
}
