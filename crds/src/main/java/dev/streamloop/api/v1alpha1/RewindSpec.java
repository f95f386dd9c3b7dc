package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A replay in place: the runners go back and process again into the same sinks, once per nonce.
 * Kafka and file sinks append the replayed rows again; the JDBC upsert sink converges to the same
 * rows. The aggregation's state goes back too (to the state before the batch, or empty). File
 * sources cannot be rewound (they read each file once).
 *
 * @param nonce Change it to rewind again; a runner rewinds once per nonce.
 * @param from Earliest: every source's earliest data. Timestamp: Kafka sources at the first record
 *     at or after timestamp (Kafka's offsets for times). Batch: the start of a recorded batch
 *     (batchId), while the checkpoint still keeps it (checkpoint.retainBatches).
 * @param timestamp With Timestamp: an RFC 3339 time, such as 2026-12-01T00:00:00Z.
 * @param batchId With Batch: the batch to replay from (progress shows batch ids).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.from == 'Timestamp') == has(self.timestamp)",
    message = "timestamp is required with from: Timestamp, and only with it",
    fieldPath = ".timestamp",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "(self.from == 'Batch') == has(self.batchId)",
    message = "batchId is required with from: Batch, and only with it",
    fieldPath = ".batchId",
    reason = "FieldValueInvalid")
public record RewindSpec(
    @Required @Min(1) Long nonce,
    @Required From from,
    @Pattern(
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
        String timestamp,
    @Min(0) Long batchId) {

  /** Where a replay starts. */
  public enum From {
    Earliest,
    Timestamp,
    Batch
  }

  /**
   * The runner's form: {@code nonce:earliest}, {@code nonce:timestamp:T}, {@code nonce:batch:N}.
   */
  public String runnerArgument() {
    return nonce
        + ":"
        + from.name().toLowerCase(java.util.Locale.ROOT)
        + (from == From.Timestamp ? ":" + timestamp : from == From.Batch ? ":" + batchId : "");
  }
}
