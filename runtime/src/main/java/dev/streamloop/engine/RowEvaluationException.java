package dev.streamloop.engine;

/**
 * A row the query could not evaluate (a division by zero, a cast that cannot succeed): the batch
 * fails with the batch id, the expression and the row's place in its source.
 */
public final class RowEvaluationException extends RuntimeException {
  RowEvaluationException(String message, Throwable cause) {
    super(message, cause);
  }
}
