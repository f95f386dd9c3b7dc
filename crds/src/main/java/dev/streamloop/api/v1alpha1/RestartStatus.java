package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/**
 * Failures of the runners and the operator's restarts of them.
 *
 * @param count Restarts since the query last ran without failing.
 * @param total Restarts since the query was created.
 * @param lastFailureTime When a runner last failed (RFC 3339).
 * @param lastFailureReason Why, in one CamelCase word: Error, OOMKilled, InvalidSpec,
 *     CheckpointUnusable, ImagePullBackOff, Unschedulable.
 * @param lastFailureMessage The failed runner's termination message.
 * @param nextRestartTime When the next restart is due, while backing off (RFC 3339).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestartStatus(
    Integer count,
    Long total,
    String lastFailureTime,
    @Size(max = 64) String lastFailureReason,
    @Size(max = 4096) String lastFailureMessage,
    String nextRestartTime) {}
