package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Print each batch to the runner's standard output: a header with the batch id, then the rows as a
 * table. For debugging; it gives no delivery guarantee.
 *
 * @param numRows The most rows printed per batch.
 * @param truncate Cut values longer than 20 characters.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsoleSinkSpec(
    @Default("20") @Min(1) @Max(10000) Integer numRows, @Default("true") Boolean truncate) {}
