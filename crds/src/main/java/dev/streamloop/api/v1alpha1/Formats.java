package dev.streamloop.api.v1alpha1;

/** The string formats the API accepts, as OpenAPI patterns. */
public final class Formats {
  /**
   * A Go/CEL duration of hours, minutes, seconds and milliseconds, such as 500ms or 1h30m; or 0.
   */
  public static final String DURATION = "^(0|([0-9]+(\\.[0-9]+)?(ms|s|m|h))+)$";

  /**
   * The CEL rule that bounds a duration field: a year is longer than any sensible trigger, delay or
   * backoff, and far inside what Go, CEL and the runner can represent.
   */
  public static final String DURATION_AT_MOST_A_YEAR = "duration(self) <= duration('8760h')";

  /** The message of {@link #DURATION_AT_MOST_A_YEAR}. */
  public static final String DURATION_AT_MOST_A_YEAR_MESSAGE = "must be at most 8760h (a year)";

  /** A Kubernetes quantity as a string, such as 64Mi, 1Gi or 1500000. */
  public static final String QUANTITY =
      "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]"
          + "|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

  /** A Kubernetes object name (DNS subdomain), such as the name of a Secret. */
  public static final String OBJECT_NAME = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$";

  /** A key of a Secret or ConfigMap. */
  public static final String DATA_KEY = "^[-._a-zA-Z0-9]{1,253}$";

  /** A DNS label, such as a sink or volume name. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

  /** A column name as the SQL query sees it. */
  public static final String COLUMN = "^[A-Za-z_][A-Za-z0-9_]{0,127}$";

  /**
   * An absolute path in the runner's file system, normalised: no "." or ".." segment, no empty
   * segment (//), no trailing / and no control characters (NUL, newline), so that the path a rule
   * checks is the path the runner opens.
   */
  public static final String ABSOLUTE_PATH =
      "^(/([^/.\\x00-\\x1f]|\\.[^/.\\x00-\\x1f]|\\.\\.[^/\\x00-\\x1f])[^/\\x00-\\x1f]*)+$";

  /**
   * A CSV delimiter: one character, not the quote, a line break or NUL, and not beyond the Basic
   * Multilingual Plane (an emoji is two Java characters; the CSV reader takes one).
   */
  public static final String CSV_DELIMITER = "^[^\"\\n\\r\\x00\\x{10000}-\\x{10FFFF}]$";

  /**
   * The start of the CEL condition "the data volumes of runner.volumes (persistentVolumeClaim,
   * emptyDir, nfs) hold path P": {@code ON_DATA_VOLUME + "P == v.mountPath ||
   * P.startsWith(v.mountPath + '/'))))"}.
   */
  static final String ON_DATA_VOLUME =
      "has(self.runner) && has(self.runner.volumes) && self.runner.volumes.exists(v,"
          + " (has(v.persistentVolumeClaim) || has(v.emptyDir) || has(v.nfs)) && (";

  private static final java.util.Map<String, String> IN_WORDS =
      java.util.Map.of(
          DURATION, "a duration such as 500ms, 30s, 5m or 1h30m",
          QUANTITY, "a quantity such as 64Mi, 1Gi or 1000000",
          OBJECT_NAME, "a Kubernetes object name (lower-case letters, digits, '-' and '.')",
          DATA_KEY, "a Secret or ConfigMap key (letters, digits, '-', '_' and '.')",
          DNS_LABEL, "a DNS label (lower-case letters, digits and '-', at most 63 characters)",
          COLUMN, "a column name (letters, digits and '_', not starting with a digit)",
          CSV_DELIMITER,
              "one character other than the quote (\"), a line break, NUL or an emoji (such as"
                  + " ',', ';', '|' or a tab)",
          ABSOLUTE_PATH,
              "a normalised absolute path: starting with /, without . or .. segments, //, a"
                  + " trailing / or control characters");

  private Formats() {}

  /** The format a pattern stands for, in words, for error messages; empty if it has no name. */
  public static java.util.Optional<String> inWords(String pattern) {
    return java.util.Optional.ofNullable(IN_WORDS.get(pattern));
  }
}
