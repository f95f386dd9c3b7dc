package dev.streamloop.engine.sql;

import dev.streamloop.engine.StringTooLongException;
import org.apache.calcite.linq4j.function.Strict;

/**
 * Spark's string-building functions REPEAT, SPACE, LPAD and RPAD, with Spark's results, but never
 * longer than {@value #MAX_LENGTH} characters: {@code REPEAT('x', 2000000000)} is an error naming
 * the expression (under the bad-record rules for evaluation errors) instead of an OutOfMemoryError
 * that ends the runner on every restart. They replace Calcite's own.
 */
public final class BoundedStrings {
  /** The longest string these functions build: 1 Mi characters. */
  public static final int MAX_LENGTH = 1 << 20;

  private BoundedStrings() {}

  @Strict
  public static String repeat(String s, long times) {
    return build("REPEAT", s, times);
  }

  @Strict
  public static String space(long n) {
    return build("SPACE", " ", n);
  }

  private static String build(String function, String s, long times) {
    if (s.isEmpty() || times <= 0) {
      return "";
    }
    check(function, times > MAX_LENGTH ? times : times * s.length());
    return s.repeat((int) times);
  }

  @Strict
  public static String lpad(String s, long length) {
    return lpad(s, length, " ");
  }

  @Strict
  public static String lpad(String s, long length, String pad) {
    return pad(s, length, pad, true);
  }

  @Strict
  public static String rpad(String s, long length) {
    return rpad(s, length, " ");
  }

  @Strict
  public static String rpad(String s, long length, String pad) {
    return pad(s, length, pad, false);
  }

  /** Spark's lpad/rpad: cut to {@code length}, or padded with {@code pad} repeated to it. */
  private static String pad(String s, long length, String pad, boolean left) {
    check(left ? "LPAD" : "RPAD", length);
    int target = (int) Math.max(0, length);
    if (s.length() >= target || pad.isEmpty()) {
      return s.length() >= target ? s.substring(0, target) : s;
    }
    StringBuilder padding = new StringBuilder(target - s.length());
    while (padding.length() < target - s.length()) {
      padding.append(pad, 0, Math.min(pad.length(), target - s.length() - padding.length()));
    }
    return left ? padding + s : s + padding;
  }

  private static void check(String function, long length) {
    if (length > MAX_LENGTH) {
      throw new StringTooLongException(function, length, MAX_LENGTH);
    }
  }
}
