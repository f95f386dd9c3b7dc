package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The SQL type of a source column. */
public enum ColumnType {
  @JsonProperty("string")
  STRING,
  @JsonProperty("boolean")
  BOOLEAN,
  @JsonProperty("int")
  INT,
  @JsonProperty("long")
  LONG,
  @JsonProperty("double")
  DOUBLE,
  @JsonProperty("decimal")
  DECIMAL,
  @JsonProperty("date")
  DATE,
  @JsonProperty("timestamp")
  TIMESTAMP,
  @JsonProperty("binary")
  BINARY
}
