package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One aspect of the query's state, in the shape of Kubernetes' metav1.Condition.
 *
 * @param type The aspect, in CamelCase: Ready, Progressing, Degraded, Complete or Failed.
 * @param status True, False or Unknown.
 * @param observedGeneration The spec generation this condition was computed for.
 * @param lastTransitionTime When status last changed (RFC 3339).
 * @param reason Why, in one CamelCase word, for programs.
 * @param message Why, in words, for people.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    @Required
        @Pattern(
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                + "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
        @Size(max = 316)
        String type,
    @Required Status status,
    @Min(0) Long observedGeneration,
    @Required String lastTransitionTime,
    @Required @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$") @Size(min = 1, max = 1024)
        String reason,
    @Required @Size(max = 32768) String message) {

  /** A condition's status values. */
  public enum Status {
    True,
    False,
    Unknown
  }
}
