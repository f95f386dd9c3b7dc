package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One column of a source's schema.
 *
 * @param name The column name as the SQL query sees it, and the JSON field or CSV position it is
 *     read from.
 * @param type The SQL type the value is converted to. A timestamp is read from epoch milliseconds
 *     or an ISO-8601 string.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSpec(
    @Required @Pattern(Formats.COLUMN) @Size(max = 128) String name, @Required ColumnType type) {}
