package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * One key of a Secret in the query's namespace.
 *
 * @param name The Secret's name.
 * @param key The key within the Secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretKeySelector(
    @Required @Pattern(Formats.OBJECT_NAME) String name,
    @Required @Pattern(Formats.DATA_KEY) String key) {}
