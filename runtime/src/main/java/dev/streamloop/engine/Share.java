package dev.streamloop.engine;

/**
 * The part of a partitioned input one runner reads when {@code count} runners share a query
 * (spec.parallelism): runner {@code index} owns the keys whose hash falls on it. Deterministic, so
 * that a restarted runner owns what it owned before and its checkpoint still matches its input.
 *
 * @param index This runner, from 0.
 * @param count How many runners share the input.
 */
public record Share(int index, int count) {
  /** The whole input: a single runner. */
  public static final Share ALL = new Share(0, 1);

  public Share {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "replica index " + index + " is not within a replica count of " + count);
    }
  }

  /** Whether this runner reads the input keyed {@code key} (a file's path). */
  public boolean owns(String key) {
    // String.hashCode is specified by the JLS: stable across JVMs and versions
    return count == 1 || Math.floorMod(key.hashCode(), count) == index;
  }

  /** Whether this runner reads the row numbered {@code value} (a rate source's value). */
  public boolean owns(long value) {
    return count == 1 || Math.floorMod(value, count) == index;
  }

  public boolean isAll() {
    return count == 1;
  }
}
