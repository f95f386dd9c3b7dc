package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * CSV settings, only with format csv.
 *
 * @param header Whether the first line of each file is a header (read: skipped; write: the column
 *     names).
 * @param delimiter The single character between columns: not the quote ("), a line break, NUL or an
 *     emoji.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CsvOptions(
    @Default("false") Boolean header,
    @Default("\",\"") @Size(min = 1, max = 1) @Pattern(Formats.CSV_DELIMITER) String delimiter) {}
