package dev.streamloop.engine;

/** Spark's output modes: which rows of the result a batch hands to the sinks. */
public enum OutputMode {
  /** Rows that will never change again (a stateless query: every row, once). */
  APPEND,
  /** Result rows that changed in the batch. */
  UPDATE,
  /** The whole result, every batch (aggregations only). */
  COMPLETE
}
