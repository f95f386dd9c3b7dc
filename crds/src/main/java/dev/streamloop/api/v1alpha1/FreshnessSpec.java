package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How fresh the query's output must be.
 *
 * @param maxLag The most the query may lag behind its input (a duration such as 30s or 5m): the age
 *     of the oldest input not yet processed, or for a query with a watermark the time since the
 *     watermark. Within it the Fresh condition is True; CaughtUp is True when, in addition, the
 *     sources have no backlog left.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FreshnessSpec(
    @Required
        @Pattern(Formats.DURATION)
        @ValidationRule(
            value = "duration(self) > duration('0s')",
            message = "must be more than 0, such as 30s or 5m: the lag a fresh query may have",
            reason = "FieldValueInvalid")
        @ValidationRule(
            value = Formats.DURATION_AT_MOST_A_YEAR,
            message = Formats.DURATION_AT_MOST_A_YEAR_MESSAGE,
            reason = "FieldValueInvalid")
        String maxLag) {}
