package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Generate rows with the columns timestamp and value (a long counting up from 0), as Spark's rate
 * sources do.
 *
 * @param rowsPerSecond Rows per second of wall-clock time (Spark's rate source). Each batch covers
 *     whole seconds. At most a billion.
 * @param rampUpTime With rowsPerSecond: how long the rate takes to reach rowsPerSecond.
 * @param rowsPerBatch Exactly this many rows per batch, whatever the timing (Spark's
 *     rate-micro-batch source): deterministic, for tests. At most a billion, as rowsPerSecond.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.rowsPerSecond) != has(self.rowsPerBatch)",
    message = "set exactly one of rowsPerSecond or rowsPerBatch",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.rampUpTime) || has(self.rowsPerSecond)",
    message = "rampUpTime applies only with rowsPerSecond: remove it",
    fieldPath = ".rampUpTime",
    reason = "FieldValueForbidden")
public record RateSourceSpec(
    @Min(1) @Max(1000000000) Long rowsPerSecond,
    @ValidationRule(
            value = Formats.DURATION_AT_MOST_A_YEAR,
            message = Formats.DURATION_AT_MOST_A_YEAR_MESSAGE,
            reason = "FieldValueInvalid")
        @Pattern(Formats.DURATION)
        String rampUpTime,
    @Min(1) @Max(1000000000) Long rowsPerBatch) {}
