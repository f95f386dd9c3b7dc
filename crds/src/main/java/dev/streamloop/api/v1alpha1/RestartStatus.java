package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/**
 * Failures of the runners (containers that ended with a non-zero exit code) and the operator's
 * restarts of them, as spec.restartPolicy says.
 *
 * @param count Failures in a row: back to 0 after any spec change (restartNonce included) or ten
 *     minutes without a failure.
 * @param total Failures since the query was created.
 * @param lastFailureTime When a runner last failed (RFC 3339), from its container's finish time.
 * @param lastFailureReason Why, in one CamelCase word: Error, OOMKilled, InvalidSpec or
 *     CheckpointUnusable (the last two: exit code 2, not retried).
 * @param lastFailureMessage The exit code and the failed runner's termination message.
 * @param nextRestartTime When the runners start again, while they are held for a backoff (RFC
 *     3339).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestartStatus(
    Integer count,
    Long total,
    String lastFailureTime,
    @Size(max = 64) String lastFailureReason,
    @Size(max = 4096) String lastFailureMessage,
    String nextRestartTime) {}
