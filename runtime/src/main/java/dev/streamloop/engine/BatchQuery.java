package dev.streamloop.engine;

import java.util.List;
import java.util.Map;

/** The query, compiled once and run for every batch. */
public interface BatchQuery {
  List<Column> outputColumns();

  /**
   * Runs the query over one batch: {@code inputs} holds each source's rows by table name, and
   * CURRENT_TIMESTAMP is {@code batchTimestampMs}, so that a re-run batch gives the same answer.
   */
  Iterable<Object[]> execute(Map<String, Iterable<Object[]>> inputs, long batchTimestampMs);
}
