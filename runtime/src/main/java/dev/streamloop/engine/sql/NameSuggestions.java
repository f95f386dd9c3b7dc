package dev.streamloop.engine.sql;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** The known name closest to an unknown one, for "did you mean" hints. */
final class NameSuggestions {
  private NameSuggestions() {}

  static Optional<String> closest(String unknown, Collection<String> known) {
    String lower = unknown.toLowerCase();
    return known.stream()
        .filter(k -> distance(lower, k.toLowerCase()) <= Math.max(1, lower.length() / 3))
        .min(Comparator.comparingInt(k -> distance(lower, k.toLowerCase())));
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
