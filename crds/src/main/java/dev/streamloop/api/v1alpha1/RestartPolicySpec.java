package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What the operator does when a runner fails with a retryable error (exit code 1). A runner that
 * exits with code 2 (invalid spec, unusable checkpoint) is never restarted until the spec changes.
 *
 * @param type OnFailure restarts a failed runner after a backoff; Never leaves the query Failed.
 * @param maxRetries The most restarts in a row before the query is Failed (Degraded with reason
 *     QueryFailed): a batch that fails every time (a division by zero under Fail) stops there
 *     instead of looping. With the backoff's defaults, 10 restarts take about half an hour; the
 *     most, 100000, is about a year.
 * @param initialBackoff The wait before the first restart; it doubles with every failure in a row.
 * @param maxBackoff The longest wait between restarts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "duration(self.initialBackoff) <= duration(self.maxBackoff)",
    message = "initialBackoff must not exceed maxBackoff; raise maxBackoff or lower initialBackoff",
    fieldPath = ".initialBackoff",
    reason = "FieldValueInvalid")
public record RestartPolicySpec(
    @Default("OnFailure") Type type,
    @Default("10") @Min(0) @Max(100000) Integer maxRetries,
    @Default("10s")
        @ValidationRule(
            value = Formats.DURATION_AT_MOST_A_YEAR,
            message = Formats.DURATION_AT_MOST_A_YEAR_MESSAGE,
            reason = "FieldValueInvalid")
        @Pattern(Formats.DURATION)
        String initialBackoff,
    @Default("5m")
        @ValidationRule(
            value = Formats.DURATION_AT_MOST_A_YEAR,
            message = Formats.DURATION_AT_MOST_A_YEAR_MESSAGE,
            reason = "FieldValueInvalid")
        @Pattern(Formats.DURATION)
        String maxBackoff) {

  /** maxRetries when a stored query has none (created before it had a default). */
  public static final int DEFAULT_MAX_RETRIES = 10;

  /** Whether failed runners are restarted. */
  public enum Type {
    OnFailure,
    Never
  }
}
