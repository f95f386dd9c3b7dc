package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Reads a file source as a static table (Spark's static DataFrame) instead of a stream: every file
 * of its path read whole before the first batch, and again when the refresh interval has passed; a
 * query joins its streams with it (enrichment), inner or outer on the table's side. It has no
 * offsets and no watermark.
 *
 * @param refreshInterval How often the table is read again, as a duration such as 10m (checked at
 *     the start of a batch); unset: read once per runner start.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StaticSpec(
    @ValidationRule(
            value = Formats.DURATION_AT_MOST_A_YEAR,
            message = Formats.DURATION_AT_MOST_A_YEAR_MESSAGE,
            reason = "FieldValueInvalid")
        @Pattern(Formats.DURATION)
        String refreshInterval) {}
