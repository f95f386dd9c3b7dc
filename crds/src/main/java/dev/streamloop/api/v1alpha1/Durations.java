package dev.streamloop.api.v1alpha1;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the API's durations ({@link Formats#DURATION}, Go/CEL style: 500ms, 30s, 5m, 1h30m, 1.5h);
 * the runner and the operator read them the same way.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private Durations() {}

  /** The duration in milliseconds; IllegalArgumentException if it is not one. */
  public static long toMillis(String text) {
    if (text.equals("0")) {
      return 0;
    }
    Matcher m = PART.matcher(text);
    double millis = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      double value = Double.parseDouble(m.group(1));
      millis +=
          switch (m.group(2)) {
            case "ms" -> value;
            case "s" -> value * 1_000;
            case "m" -> value * 60_000;
            default -> value * 3_600_000;
          };
      end = m.end();
    }
    if (end != text.length() || end == 0) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration such as 500ms, 30s, 5m or 1h30m");
    }
    return Math.round(millis);
  }
}
