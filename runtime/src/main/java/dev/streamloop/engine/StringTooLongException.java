package dev.streamloop.engine;

/**
 * A string function of the query would build a string longer than it may (a row's value that asks
 * for two billion repetitions): an evaluation error, like a division by zero, never an
 * OutOfMemoryError.
 */
public final class StringTooLongException extends RuntimeException {
  private final String function;

  public StringTooLongException(String function, long length, int maxLength) {
    super(
        function
            + " would build a string of "
            + length
            + " characters, more than the "
            + maxLength
            + " a string function may build");
    this.function = function;
  }

  /** The function's SQL name. */
  public String function() {
    return function;
  }
}
