package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The last reset of the checkpoint that an incompatible edit rolled out with.
 *
 * @param generation The generation whose runners reset the checkpoint when they first start.
 * @param scope State (the sources' offsets kept, the state started empty) or All (an empty
 *     checkpoint). The old data is moved aside on the volume (state-before-g{generation} or
 *     before-g{generation}), not deleted.
 * @param reasons The verdict's reasons that made the reset necessary.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointReset(Long generation, Scope scope, @Size(max = 16) List<String> reasons) {

  /** What a reset empties. */
  public enum Scope {
    State,
    All
  }
}
