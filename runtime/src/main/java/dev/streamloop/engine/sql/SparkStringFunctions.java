package dev.streamloop.engine.sql;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.calcite.linq4j.function.Strict;

/**
 * Spark's string functions that Calcite lacks or has with another library's meaning: regexp_extract
 * (Spark's group index, "" without a match) and substring_index. Regular expressions are Java's, as
 * Spark's are.
 */
public final class SparkStringFunctions {
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private SparkStringFunctions() {}

  private static Pattern pattern(String regex) {
    return PATTERNS.computeIfAbsent(
        regex,
        r -> {
          try {
            return Pattern.compile(r);
          } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                "[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter regexp is invalid: " + r,
                e);
          }
        });
  }

  @Strict
  public static String regexpExtract(String text, String regex) {
    return regexpExtract(text, regex, 1);
  }

  /** Spark's regexp_extract: group {@code index} of the first match, "" when none matches. */
  @Strict
  public static String regexpExtract(String text, String regex, int index) {
    Matcher m = pattern(regex).matcher(text);
    if (index < 0 || index > m.groupCount()) {
      throw new IllegalArgumentException(
          "[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter idx is invalid:"
              + " expects group index between 0 and "
              + m.groupCount()
              + ", but got "
              + index);
    }
    if (!m.find()) {
      return "";
    }
    String group = m.group(index);
    return group == null ? "" : group;
  }

  /**
   * Spark's substring_index: the text before the {@code count}-th {@code delim} from the left
   * (count &gt; 0), after the count-th from the right (count &lt; 0), "" for 0.
   */
  @Strict
  public static String substringIndex(String text, String delim, int count) {
    if (count == 0 || delim.isEmpty()) {
      return "";
    }
    if (count > 0) {
      int at = -delim.length();
      for (int i = 0; i < count; i++) {
        at = text.indexOf(delim, at + delim.length());
        if (at < 0) {
          return text;
        }
      }
      return text.substring(0, at);
    }
    int at = text.length();
    for (int i = 0; i < -count; i++) {
      at = text.lastIndexOf(delim, at - 1);
      if (at < 0) {
        return text;
      }
    }
    return text.substring(at + delim.length());
  }
}
