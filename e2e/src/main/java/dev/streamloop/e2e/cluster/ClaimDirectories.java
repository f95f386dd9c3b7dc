package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;

/**
 * The volumes behind claims: a claim's directory is {@code volumes/<namespace>/<claim>} (created by
 * the kubelet when a pod first mounts it) and is removed when the claim is deleted, as a
 * provisioner deletes a volume whose reclaim policy is Delete. The claim-protection controller
 * keeps a claim until no pod uses it, so no running process loses its files. A cluster that stops
 * leaves its directories: the next one's claims of the same names find them (the README's main job
 * goes on from its checkpoints).
 */
final class ClaimDirectories implements AutoCloseable {
  private final SharedIndexInformer<PersistentVolumeClaim> claims;

  ClaimDirectories(KubernetesClient client, Path clusterDir) {
    this.claims =
        client
            .persistentVolumeClaims()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(PersistentVolumeClaim claim) {}

                  @Override
                  public void onUpdate(PersistentVolumeClaim before, PersistentVolumeClaim after) {}

                  @Override
                  public void onDelete(PersistentVolumeClaim claim, boolean unknownFinalState) {
                    Trees.delete(
                        dir(
                            clusterDir,
                            claim.getMetadata().getNamespace(),
                            claim.getMetadata().getName()));
                  }
                });
  }

  /** Where claim {@code namespace/claim}'s files are. */
  static Path dir(Path clusterDir, String namespace, String claim) {
    return clusterDir.resolve("volumes").resolve(namespace).resolve(claim);
  }

  @Override
  public void close() {
    claims.close();
  }
}
