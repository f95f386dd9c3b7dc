package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint claims of an available-now query, created by the operator (a Job has no claim
 * templates) under the names a StatefulSet would give them, so that a query moved between triggers
 * keeps its checkpoints. Owned by the query only when its deletionPolicy is Delete.
 */
public final class CheckpointClaims {
  public static final String COMPONENT = "checkpoint";

  private CheckpointClaims() {}

  public static List<PersistentVolumeClaim> build(StreamingQuery query) {
    PersistentVolumeClaim template = RunnerStatefulSet.claimTemplate(query);
    List<PersistentVolumeClaim> claims = new ArrayList<>();
    for (int i = 0; i < RunnerPod.parallelism(query); i++) {
      ObjectMetaBuilder meta =
          new ObjectMetaBuilder()
              .withName(ChildNames.checkpointClaim(query.getMetadata().getName(), i))
              .withNamespace(query.getMetadata().getNamespace())
              .withLabels(Labels.of(query, COMPONENT));
      if (RunnerStatefulSet.deleteClaims(query)) {
        meta.withOwnerReferences(Owners.owner(query));
      }
      claims.add(
          new PersistentVolumeClaimBuilder()
              .withMetadata(meta.build())
              .withSpec(template.getSpec())
              .build());
    }
    return claims;
  }
}
