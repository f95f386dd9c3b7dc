package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * When batches run: at most one of processingTime or availableNow. Empty means back-to-back: the
 * next batch starts as soon as the previous one has finished and new data is there (Spark's default
 * trigger; an idle runner polls its sources with a backoff).
 *
 * @param processingTime Start a batch at every multiple of this interval (such as 30s), if there is
 *     new data; a batch that overruns is followed at once, then batches re-align to the interval.
 * @param availableNow Process everything available when a run starts, in as many batches as the
 *     sources' read limits need, then stop. Each run is a Kubernetes Job.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.processingTime) && has(self.availableNow))",
    message = "set at most one trigger: processingTime or availableNow (empty: back-to-back)",
    reason = "FieldValueInvalid")
public record TriggerSpec(
    @ValidationRule(
            value = Formats.DURATION_AT_MOST_A_YEAR,
            message = Formats.DURATION_AT_MOST_A_YEAR_MESSAGE,
            reason = "FieldValueInvalid")
        @Pattern(Formats.DURATION)
        String processingTime,
    AvailableNowSpec availableNow) {}
