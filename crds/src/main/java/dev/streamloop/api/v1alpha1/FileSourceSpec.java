package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Read files that appear in a directory. Files are picked up oldest first (modification time, then
 * name), each exactly once; names starting with "." or "_" and names ending in .tmp are ignored, so
 * write elsewhere and move files into place. The files of each batch are recorded in the
 * checkpoint.
 *
 * @param path An absolute directory, or a glob such as /data/in/*.json, on a volume mounted into
 *     the runner (see runner.volumes).
 * @param maxFilesPerTrigger The most files one batch reads (at most a million: the files of a batch
 *     are listed in its offsets).
 * @param maxBytesPerTrigger The most bytes one batch reads, as a quantity such as 64Mi; a batch
 *     always takes at least one file. Not together with maxFilesPerTrigger.
 * @param latestFirst Take the newest files first (for catching up on a backlog where only recent
 *     data matters).
 * @param maxRecordSize The longest line the source reads as a record, as a quantity (default 8Mi,
 *     at most 1Gi): a longer one is a bad record under spec.badRecords, so that a file that is not
 *     line-delimited cannot exhaust the runner's memory.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.maxFilesPerTrigger) && has(self.maxBytesPerTrigger))",
    message = "set maxFilesPerTrigger or maxBytesPerTrigger, not both (as in Spark)",
    reason = "FieldValueForbidden")
public record FileSourceSpec(
    @Required @Pattern(Formats.ABSOLUTE_PATH) @Size(max = 4096) String path,
    @Min(1) @Max(1000000) Integer maxFilesPerTrigger,
    Quantity maxBytesPerTrigger,
    @Default("false") Boolean latestFirst,
    @Default("8Mi") Quantity maxRecordSize) {

  /** maxRecordSize when unset. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 8 << 20;

  /** The largest maxRecordSize: a line is held in one array. */
  public static final long MAX_RECORD_BYTES = 1L << 30;
}
