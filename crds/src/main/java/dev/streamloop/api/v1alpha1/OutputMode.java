package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which result rows each batch writes to the sinks (Spark's output modes). */
public enum OutputMode {
  /** Only rows that will never change again. */
  @JsonProperty("append")
  APPEND,
  /** Only the rows that changed in this batch. */
  @JsonProperty("update")
  UPDATE,
  /** The whole result table, every batch (aggregations only). */
  @JsonProperty("complete")
  COMPLETE
}
