package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What a runner does with an input record that does not parse against its source's schema, and,
 * when asked, with a row the query cannot evaluate.
 *
 * @param policy Fail stops the query with the source, file and line (or partition and offset) of
 *     the record; Drop skips it and counts it in progress (sources[].metrics.numBadRecords);
 *     DeadLetter writes it with the reason to deadLetterPath and counts it.
 * @param deadLetterPath With DeadLetter: an absolute directory on a volume mounted into the runner
 *     (see runner.volumes) for the bad records, as JSON lines with source, position and reason.
 * @param includeEvaluationErrors Whether rows the query cannot evaluate (a division by zero, a cast
 *     of text that is no number) follow the policy too: Drop skips and counts them, DeadLetter
 *     writes the source row with the error. Unset or false: such a row fails the batch whatever the
 *     policy, as in Spark with ANSI rules, naming the batch, the expression and the row.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.policy == 'DeadLetter') == has(self.deadLetterPath)",
    message = "deadLetterPath is required with policy DeadLetter, and only with it",
    fieldPath = ".deadLetterPath",
    reason = "FieldValueInvalid")
public record BadRecordsSpec(
    @Default("Fail") Policy policy,
    @Pattern(Formats.ABSOLUTE_PATH) @Size(max = 4096) String deadLetterPath,
    Boolean includeEvaluationErrors) {

  /** The bad-record policies. */
  public enum Policy {
    Fail,
    Drop,
    DeadLetter
  }
}
