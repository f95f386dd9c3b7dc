package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The checkpoint of each runner: a PersistentVolumeClaim per runner that holds the offsets log, the
 * commit log and the state, and survives pod restarts and runs.
 *
 * @param size The requested size of each runner's volume.
 * @param storageClassName The StorageClass of the volumes. Unset: the cluster's default.
 * @param retainBatches How many batches of offsets, commits and state to keep (Spark's
 *     minBatchesToRetain).
 * @param deletionPolicy What happens to the volumes when the StreamingQuery is deleted: Retain
 *     keeps them (deleting the query and creating it again resumes from the checkpoint), Delete
 *     removes them.
 * @param resetNonce Change this number to start from an empty checkpoint (a fresh sub-directory;
 *     the old one stays on the volume). This is how a change that the checkpoint cannot survive,
 *     such as a different set of sources or aggregation keys, is accepted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointSpec(
    @Default("1Gi") Quantity size,
    @Pattern(Formats.OBJECT_NAME) @Size(max = 253) String storageClassName,
    @Default("100") @Min(2) @Max(100000) Integer retainBatches,
    @Default("Retain") DeletionPolicy deletionPolicy,
    @Default("0") @Min(0) Long resetNonce) {

  /** What happens to the checkpoint volumes when the query is deleted. */
  public enum DeletionPolicy {
    Retain,
    Delete
  }
}
