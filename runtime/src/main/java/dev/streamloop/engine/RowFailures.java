package dev.streamloop.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * What one batch does with a row the query cannot evaluate: by default the batch fails, naming the
 * batch, the expression and the row's source and position (as Spark fails a query under ANSI
 * rules); when the query's bad-record policy covers evaluation errors, the row's source takes it
 * (Drop counts it, DeadLetter writes it with the error) and the batch goes on with the next row.
 */
public final class RowFailures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long batchId;
  private final BatchRows rows;
  private final BatchQuery query;

  RowFailures(long batchId, BatchRows rows, BatchQuery query) {
    this.batchId = batchId;
    this.rows = rows;
    this.query = query;
  }

  /** {@code result} iterated under this batch's rules. */
  public Iterable<Object[]> guard(Iterable<Object[]> result) {
    return () -> guard(result.iterator());
  }

  private Iterator<Object[]> guard(Iterator<Object[]> result) {
    return new Iterator<>() {
      private Object[] next;

      @Override
      public boolean hasNext() {
        while (next == null) {
          try {
            if (!result.hasNext()) {
              return false;
            }
            next = result.next();
          } catch (RuntimeException e) {
            handle(e); // throws, or the row was taken by the policy: go on with the next one
          }
        }
        return true;
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object[] row = next;
        next = null;
        return row;
      }
    };
  }

  /**
   * {@code groups}, rows computed from the aggregated groups (HAVING, expressions over aggregates):
   * a row that cannot be evaluated fails the batch, as no one input row is to blame.
   */
  public Iterable<Object[]> guardAggregated(Iterable<Object[]> groups) {
    return () -> {
      Iterator<Object[]> it = groups.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          try {
            return it.hasNext();
          } catch (RuntimeException e) {
            throw aggregatedFailure(e);
          }
        }

        @Override
        public Object[] next() {
          try {
            return it.next();
          } catch (RuntimeException e) {
            throw aggregatedFailure(e);
          }
        }
      };
    };
  }

  private RuntimeException aggregatedFailure(RuntimeException e) {
    if (!isEvaluationError(e)) {
      return e;
    }
    String expression = query.failingExpression(e);
    return new RowEvaluationException(
        "batch "
            + batchId
            + ": "
            + (expression == null ? "cannot evaluate the query" : "cannot evaluate " + expression)
            + " over the aggregated groups: "
            + e
            + ". Fix the query (for a division, x / NULLIF(y, 0) gives null instead)",
        e);
  }

  private void handle(RuntimeException e) {
    if (!isEvaluationError(e) || rows.fromSource(e)) {
      throw e;
    }
    Source source = rows.lastSource();
    String expression = query.failingExpression(e);
    String reason =
        (expression == null ? "cannot evaluate the query" : "cannot evaluate " + expression)
            + ": "
            + e;
    if (source != null && source.takeFailedRow(rows.lastPosition(), reason, record(source))) {
      return;
    }
    throw new RowEvaluationException(
        "batch "
            + batchId
            + ": "
            + reason
            + (source == null
                ? ""
                : ", on the row of source \""
                    + source.name()
                    + "\""
                    // where the row is, never its values: this message reaches logs, the
                    // termination log and the query's status
                    + (rows.lastPosition() == null ? "" : " at " + rows.lastPosition()))
            + ". Fix the query (for a division, x / NULLIF(y, 0) gives null instead), or set"
            + " spec.badRecords.includeEvaluationErrors so that the bad-record policy (Drop,"
            + " DeadLetter) takes such rows",
        e);
  }

  /** The row read last, as JSON with its source's column names. */
  private String record(Source source) {
    ObjectNode json = JSON.createObjectNode();
    Object[] row = rows.lastRow();
    for (int i = 0; i < source.columns().size() && i < row.length; i++) {
      json.putPOJO(source.columns().get(i).name(), row[i]);
    }
    return json.toString();
  }

  /** The failures of an expression on a value, as opposed to a broken engine or input. */
  static boolean isEvaluationError(RuntimeException e) {
    return e instanceof ArithmeticException
        || e instanceof NumberFormatException
        || e instanceof DateTimeException
        || e instanceof StringTooLongException
        || e.getClass().getName().equals("org.apache.calcite.runtime.CalciteException");
  }
}
