package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How records are encoded. */
public enum DataFormat {
  /** One JSON object per record (JSON lines in files). */
  @JsonProperty("json")
  JSON,
  /** Comma-separated values (or another delimiter), columns in schema order. */
  @JsonProperty("csv")
  CSV,
  /** Kafka only: the record's bytes as they are, in the columns key and value. */
  @JsonProperty("raw")
  RAW
}
