package dev.streamloop.engine.sql;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.calcite.linq4j.function.Strict;

/**
 * Spark's string functions that Calcite lacks or has with another library's meaning: regexp_extract
 * (Spark's group index, "" without a match), regexp_replace, substring_index, instr, locate, sha2.
 * Regular expressions are Java's, as Spark's are.
 */
public final class SparkStringFunctions {
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private SparkStringFunctions() {}

  static Pattern pattern(String regex) {
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

  /** Spark's regexp_replace: every match replaced; {@code $1} in the replacement is a group. */
  @Strict
  public static String regexpReplace(String text, String regex, String replacement) {
    return regexpReplace(text, regex, replacement, 1);
  }

  /** Spark's regexp_replace from the 1-based {@code position} on; text before it stays. */
  @Strict
  public static String regexpReplace(String text, String regex, String replacement, int position) {
    if (position < 1) {
      throw new IllegalArgumentException(
          "[INVALID_PARAMETER_VALUE.REGEX_POSITION] The value of parameter position is invalid:"
              + " expects a positive position, but got "
              + position);
    }
    if (position > text.length()) {
      return text;
    }
    int from = position - 1;
    return text.substring(0, from)
        + pattern(regex).matcher(text.substring(from)).replaceAll(replacement);
  }

  /** Spark's instr: the 1-based position of the first {@code part} in {@code text}, 0 if none. */
  @Strict
  public static int instr(String text, String part) {
    return text.indexOf(part) + 1;
  }

  /** Spark's locate(substr, str): as instr with the arguments the other way round. */
  @Strict
  public static int locate(String part, String text) {
    return locate(part, text, 1);
  }

  /** Spark's locate from the 1-based {@code position}; 0 for a position below 1. */
  @Strict
  public static int locate(String part, String text, int position) {
    if (position < 1) {
      return 0;
    }
    return position - 1 > text.length() ? 0 : text.indexOf(part, position - 1) + 1;
  }

  /**
   * Spark's sha2 of the text's UTF-8 bytes, lower-case hex: 224, 256 (or 0), 384 or 512 bits; NULL
   * for another length, as Spark gives.
   */
  @Strict
  public static String sha2(String text, int bits) {
    String algorithm =
        switch (bits) {
          case 0, 256 -> "SHA-256";
          case 224 -> "SHA-224";
          case 384 -> "SHA-384";
          case 512 -> "SHA-512";
          default -> null;
        };
    if (algorithm == null) {
      return null;
    }
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance(algorithm)
              .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
    }
  }
}
