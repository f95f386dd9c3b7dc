package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Available-now runs. Without a schedule a run starts once per spec generation, when restartNonce
 * changes, and when the annotation streamloop.dev/run-now is set; with a schedule, at its times.
 * Each run reuses the query's checkpoint, so it continues where the last run stopped.
 *
 * @param schedule A cron schedule in the five-field format ("0 * * * *") or a macro such as
 *     &#64;hourly. Unset: no schedule.
 * @param timeZone The IANA time zone of the schedule, such as Europe/Berlin (default UTC).
 * @param concurrencyPolicy What happens when a run is due while the previous one still runs: Forbid
 *     skips the new run (recorded in the run history), Replace stops the running one first, Allow
 *     starts the new one, which waits for the checkpoint and fails if the other still holds it
 *     after startingDeadlineSeconds.
 * @param startingDeadlineSeconds How late a scheduled run may still start, for example after the
 *     operator was down; a run missed by more is recorded as missed, never skipped silently.
 * @param successfulRunsHistoryLimit How many finished successful runs (Jobs) to keep.
 * @param failedRunsHistoryLimit How many finished failed runs (Jobs) to keep.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.schedule) || (!has(self.timeZone) && !has(self.startingDeadlineSeconds))",
    message =
        "timeZone and startingDeadlineSeconds apply only to scheduled runs: set schedule or remove"
            + " them",
    reason = "FieldValueForbidden")
public record AvailableNowSpec(
    @Pattern(
            "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|[^\\s]+\\s+[^\\s]+\\s+[^\\s]+"
                + "\\s+[^\\s]+\\s+[^\\s]+)$")
        @Size(max = 256)
        String schedule,
    @Pattern("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$") @Size(max = 64) String timeZone,
    @Default("Forbid") ConcurrencyPolicy concurrencyPolicy,
    @Min(0) Long startingDeadlineSeconds,
    @Default("3") @Min(0) @Max(100) Integer successfulRunsHistoryLimit,
    @Default("1") @Min(0) @Max(100) Integer failedRunsHistoryLimit) {

  /** What happens when a run is due while another run of the same query is active. */
  public enum ConcurrencyPolicy {
    Allow,
    Forbid,
    Replace
  }
}
