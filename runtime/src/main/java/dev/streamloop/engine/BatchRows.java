package dev.streamloop.engine;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sources' rows on their way into one batch's query: counted per source, and the row read last
 * (with its source and position) remembered, because in a pipelined plan that is the row an
 * expression failed on. An exception thrown by a source itself (a bad record under Fail, a broker
 * gone) is marked, so that it is never mistaken for the query's failure to evaluate a row.
 */
final class BatchRows {
  private Source lastSource;
  private Object[] lastRow;
  private String lastPosition;
  private RuntimeException sourceFailure;

  /** {@code rows} of {@code source}, counted into {@code count}. */
  Iterator<Object[]> track(Source source, Iterator<Object[]> rows, AtomicLong count) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return rows.hasNext();
        } catch (RuntimeException e) {
          sourceFailure = e;
          throw e;
        }
      }

      @Override
      public Object[] next() {
        Object[] row;
        try {
          row = rows.next();
        } catch (RuntimeException e) {
          sourceFailure = e;
          throw e;
        }
        count.incrementAndGet();
        lastSource = source;
        lastRow = row;
        lastPosition = rows instanceof PositionedRows positioned ? positioned.position() : null;
        return row;
      }
    };
  }

  /** Whether {@code e} came out of a source, not out of the query's expressions. */
  boolean fromSource(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t == sourceFailure) {
        return true;
      }
    }
    return false;
  }

  /** The source of the row read last, or null before any. */
  Source lastSource() {
    return lastSource;
  }

  Object[] lastRow() {
    return lastRow;
  }

  String lastPosition() {
    return lastPosition;
  }
}
