package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/**
 * What a runner runs and where its current start began (Streamloop's own, beside Spark's progress
 * fields): what to compare with the spec after an edit rolled out.
 *
 * @param generation The spec generation the runner runs (its snapshot's).
 * @param image The runner's image.
 * @param sqlHash The first 16 hex digits of the SHA-256 of spec.query.
 * @param stateHash The first 16 hex digits of the SHA-256 of the compiled plan's stateful part (its
 *     state's grouping and aggregates); absent for a stateless query. An edit that keeps it keeps
 *     the state.
 * @param batchId The first batch of this start: a batch logged but not committed (re-run), or the
 *     one after the last commit.
 * @param offsets Each source's offset where this start began (the last committed batch's end
 *     offsets), as JSON text by source name; absent on an empty checkpoint.
 * @param rewind The spec.rewind this checkpoint has done ({@code nonce:from[:argument]}), when it
 *     is the spec's current one: the start offsets are then where the replay began.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunnerStart(
    Long generation,
    @Size(max = 512) String image,
    @Size(max = 16) String sqlHash,
    @Size(max = 16) String stateHash,
    Long batchId,
    Map<String, String> offsets,
    @Size(max = 128) String rewind) {}
