package dev.streamloop.runner;

import java.util.List;

/** The StreamingQuery cannot run as written: every reason, each naming its field. */
public class InvalidQueryException extends Exception {
  private final List<String> errors;

  public InvalidQueryException(List<String> errors) {
    super(String.join("\n", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
