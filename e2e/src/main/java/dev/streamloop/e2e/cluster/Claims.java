package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Claims a user creates for a query's volumes (the local cluster binds every claim at once). */
public final class Claims {
  private Claims() {}

  /** A 1Gi ReadWriteOnce claim {@code namespace/name}. */
  public static PersistentVolumeClaim of(String namespace, String name) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity("1Gi")))
        .endResources()
        .endSpec()
        .build();
  }
}
