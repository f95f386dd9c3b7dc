package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Where a stateful query (an aggregation) keeps its groups.
 *
 * @param store heap (default): the groups on the runner's heap, checkpointed as deltas and
 *     snapshots; fastest while they fit the heap (about 40% of it). rocksdb: the groups in RocksDB
 *     on the runner's local volume, a quarter of the container's memory limit for its cache and
 *     write buffers, checkpointed incrementally (only new immutable files are copied); for state
 *     larger than the heap. Switching an existing query's store copies its state into the new store
 *     when the runner starts.
 * @param keyGroups How many key groups the state is split into (a stable hash of the grouping key
 *     picks a key's group), each checkpointed on its own. Fixed when the checkpoint is created:
 *     changing it later does not change an existing checkpoint. Default 64.
 * @param localVolumeSize With rocksdb: the size limit of the runner's local volume (an emptyDir)
 *     that holds the working database, about the state's size on disk plus room for compactions.
 *     Default 10Gi.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateSpec(
    @Default("heap") Store store,
    @Min(1) @Max(32768) Integer keyGroups,
    @Pattern(Formats.QUANTITY) Quantity localVolumeSize) {

  /** The state stores. */
  public enum Store {
    /** Groups on the heap. */
    @JsonProperty("heap")
    HEAP,
    /** Groups in RocksDB on the local volume. */
    @JsonProperty("rocksdb")
    ROCKSDB
  }

  /** The store {@code spec} asks for: heap when unset. */
  public static Store store(StreamingQuerySpec spec) {
    return spec.state() == null || spec.state().store() == null ? Store.HEAP : spec.state().store();
  }
}
