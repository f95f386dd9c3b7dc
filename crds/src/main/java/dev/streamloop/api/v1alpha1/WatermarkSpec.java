package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The event-time watermark of a source, as Spark's withWatermark: after each batch the watermark
 * becomes the maximum event time seen minus the delay (never decreasing; the minimum over all
 * sources). Stateful operators drop rows at or below it and emit or evict windows that end at or
 * below it.
 *
 * @param column The timestamp column that holds the event time (a schema column of type timestamp;
 *     for rate and raw Kafka sources: timestamp).
 * @param delay How late data may arrive and still be counted, as a duration such as 10s or 5m.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WatermarkSpec(
    @Required @Pattern(Formats.COLUMN) @Size(max = 128) String column,
    @Required
        @ValidationRule(
            value = Formats.DURATION_AT_MOST_A_YEAR,
            message = Formats.DURATION_AT_MOST_A_YEAR_MESSAGE,
            reason = "FieldValueInvalid")
        @Pattern(Formats.DURATION)
        String delay) {}
