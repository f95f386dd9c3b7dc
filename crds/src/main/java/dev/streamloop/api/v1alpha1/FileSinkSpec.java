package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Write rows as part files into a directory, with a manifest per batch under _spark_metadata (as
 * Spark's file sink): readers that use the manifest see every row exactly once; files of a failed
 * batch never enter it. Append output mode only.
 *
 * @param path An absolute directory on a volume mounted into the runner (see runner.volumes).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileSinkSpec(
    @Required @Pattern(Formats.ABSOLUTE_PATH) @Size(max = 4096) String path) {}
