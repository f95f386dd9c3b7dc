package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/**
 * One available-now run.
 *
 * @param name The run's Job name.
 * @param reason What started it: Schedule, SpecChange, RestartNonce or RunNow.
 * @param scheduledTime For scheduled runs, the time it was due (RFC 3339).
 * @param startTime When it started (RFC 3339).
 * @param completionTime When it ended (RFC 3339).
 * @param batches Batches it ran.
 * @param numInputRows Rows it read.
 * @param result Running, Succeeded, Failed or Missed.
 * @param message Details, such as the error of a failed run or why a run was missed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(
    @Size(max = 63) String name,
    String reason,
    String scheduledTime,
    String startTime,
    String completionTime,
    Long batches,
    Long numInputRows,
    Result result,
    @Size(max = 4096) String message) {

  /** The outcomes of a run. */
  public enum Result {
    Running,
    Succeeded,
    Failed,
    Missed
  }
}
