package dev.streamloop.api.validation;

/**
 * One reason a StreamingQuery is invalid.
 *
 * @param field The path of the offending field, as kubectl prints it (spec.sources[0].name).
 * @param message What is wrong and how to fix it.
 */
public record ValidationError(String field, String message) implements Comparable<ValidationError> {
  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }

  @Override
  public int compareTo(ValidationError other) {
    int byField = field.compareTo(other.field);
    return byField != 0 ? byField : message.compareTo(other.message);
  }
}
