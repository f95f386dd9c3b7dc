package dev.streamloop.e2e.cluster;

import dev.streamloop.controlplane.ControlPlane;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduler's part, for a cluster of one node: every pod without a node is bound to it (through
 * the pods/binding subresource, as the scheduler's own identity), except a pod whose claim does not
 * exist, which stays Pending with the scheduler's Unschedulable condition and message. Resources,
 * taints and affinity are not weighed: there is nowhere else to go.
 */
final class Binder {
  private static final Logger LOG = Logger.getLogger(Binder.class.getName());
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> unscheduled;

  Binder(KubernetesClient client) {
    this.client = client;
    this.unscheduled = client.pods().inAnyNamespace().withField("spec.nodeName", "").inform();
  }

  /** One pass over the pods waiting for a node. */
  void reconcile() {
    for (Pod pod : unscheduled.getStore().list()) {
      if (pod.getMetadata().getDeletionTimestamp() != null
          || pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
        continue;
      }
      try {
        String missing = missingClaim(pod);
        if (missing != null) {
          unschedulable(pod, "persistentvolumeclaim \"" + missing + "\" not found");
        } else {
          bind(pod);
        }
      } catch (KubernetesClientException e) {
        // bound meanwhile, or deleted: the informer catches up
        LOG.log(Level.FINE, "binding " + pod.getMetadata().getName() + " failed; retrying", e);
      }
    }
  }

  private void bind(Pod pod) {
    client
        .bindings()
        .inNamespace(pod.getMetadata().getNamespace())
        .resource(
            new BindingBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .endMetadata()
                .withNewTarget()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(ControlPlane.NODE)
                .endTarget()
                .build())
        .create();
  }

  private String missingClaim(Pod pod) {
    List<Volume> volumes =
        pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    for (Volume volume : volumes) {
      if (volume.getPersistentVolumeClaim() != null) {
        String claim = volume.getPersistentVolumeClaim().getClaimName();
        if (client
                .persistentVolumeClaims()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(claim)
                .get()
            == null) {
          return claim;
        }
      }
    }
    return null;
  }

  private void unschedulable(Pod pod, String why) {
    String message = "0/1 nodes are available: " + why + ".";
    boolean already =
        pod.getStatus() != null
            && pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(
                    c -> "PodScheduled".equals(c.getType()) && message.equals(c.getMessage()));
    if (already) {
      return;
    }
    var condition =
        new PodConditionBuilder()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage(message)
            .build();
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            JSON.asJson(Map.of("status", Map.of("conditions", List.of(condition)))));
  }

  void close() {
    unscheduled.close();
  }
}
