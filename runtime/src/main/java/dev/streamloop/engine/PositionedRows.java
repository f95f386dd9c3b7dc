package dev.streamloop.engine;

import java.util.Iterator;

/**
 * A source's rows that can tell where the row returned last came from, so that a row the query
 * cannot evaluate is named by its place in the input.
 */
public interface PositionedRows extends Iterator<Object[]> {
  /** Such as {@code /data/in/a.json line 7} or {@code clicks-0 offset 42}; null before a row. */
  String position();
}
