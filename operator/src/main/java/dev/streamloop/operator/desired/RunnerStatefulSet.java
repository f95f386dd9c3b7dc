package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.CheckpointSpec;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.Map;

/**
 * The runners of a continuous query (default or processingTime trigger): a StatefulSet of {@code
 * parallelism} pods (none while suspended or held by the restart policy), each with its own
 * checkpoint claim from the claim template, named {@code checkpoint-<query>-runner-<i>} (the same
 * claims available-now Jobs use).
 */
public final class RunnerStatefulSet {
  private RunnerStatefulSet() {}

  public static StatefulSet build(StreamingQuery query, String image) {
    return build(query, image, false);
  }

  /**
   * @param held True while the restart policy keeps failed runners stopped (backoff, or halted).
   */
  public static StatefulSet build(StreamingQuery query, String image, boolean held) {
    return build(query, image, held, null);
  }

  /**
   * @param held True while the restart policy keeps failed runners stopped (backoff, or halted).
   * @param reset The checkpoint reset this generation rolls out with (null: none); the runners do
   *     it once, at their first start.
   */
  public static StatefulSet build(
      StreamingQuery query, String image, boolean held, CheckpointReset reset) {
    boolean stopped = held || Boolean.TRUE.equals(query.getSpec().suspend());
    String name = ChildNames.runner(query.getMetadata().getName());
    return new StatefulSetBuilder()
        .withMetadata(Owners.meta(query, name, RunnerAccess.COMPONENT))
        .withNewSpec()
        .withServiceName(name)
        .withReplicas(stopped ? 0 : RunnerPod.parallelism(query))
        // Replicas are independent: no reason to start them one after another.
        .withPodManagementPolicy("Parallel")
        .withNewSelector()
        .withMatchLabels(Labels.selector(query, RunnerAccess.COMPONENT))
        .endSelector()
        .withTemplate(
            RunnerPod.addReset(RunnerPod.template(query, image, null, replicaIndex()), reset))
        .withVolumeClaimTemplates(claimTemplate(query))
        .withNewPersistentVolumeClaimRetentionPolicy()
        .withWhenDeleted(deleteClaims(query) ? "Delete" : "Retain")
        .withWhenScaled("Retain")
        .endPersistentVolumeClaimRetentionPolicy()
        .endSpec()
        .build();
  }

  /** The pod's ordinal, from the label the StatefulSet controller sets (Kubernetes 1.28+). */
  static EnvVar replicaIndex() {
    return new EnvVarBuilder()
        .withName("STREAMLOOP_REPLICA_INDEX")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.labels['apps.kubernetes.io/pod-index']")
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  static PersistentVolumeClaim claimTemplate(StreamingQuery query) {
    CheckpointSpec checkpoint = query.getSpec().checkpoint();
    Quantity size =
        checkpoint != null && checkpoint.size() != null ? checkpoint.size() : new Quantity("1Gi");
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(ChildNames.CHECKPOINT_VOLUME)
        .withLabels(Labels.selector(query, CheckpointClaims.COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(checkpoint != null ? checkpoint.storageClassName() : null)
        .withNewResources()
        .withRequests(Map.of("storage", size))
        .endResources()
        .endSpec()
        .build();
  }

  static boolean deleteClaims(StreamingQuery query) {
    CheckpointSpec checkpoint = query.getSpec().checkpoint();
    return checkpoint != null
        && checkpoint.deletionPolicy() == CheckpointSpec.DeletionPolicy.Delete;
  }
}
