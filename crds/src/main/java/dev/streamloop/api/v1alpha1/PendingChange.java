package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * An edit that has not rolled out because the running checkpoint cannot serve it.
 *
 * @param generation The first generation with this verdict (what approvedGeneration approves).
 * @param verdict StateIncompatible.
 * @param reasons Which source, aggregation, column or field makes it incompatible.
 * @param policy spec.evolution.onIncompatible when it was decided, and what it waits for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PendingChange(
    Long generation,
    @Size(max = 64) String verdict,
    @Size(max = 16) List<String> reasons,
    @Size(max = 64) String policy) {}
