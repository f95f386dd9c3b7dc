package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The StatefulSet controller: pods {@code <name>-<ordinal>} with their claims from the claim
 * templates ({@code <template>-<name>-<ordinal>}, kept on scale-down, owned by the StatefulSet when
 * {@code whenDeleted: Delete}), a pod re-created only once its predecessor's process has ended, a
 * rolling update that replaces one outdated pod at a time (highest ordinal first, once every other
 * pod is ready), and the status fields the operator reads.
 */
final class StatefulSetController {
  static final String REVISION = "controller-revision-hash";
  private final KubernetesClient client;
  private final Kubelet kubelet;

  StatefulSetController(KubernetesClient client, Kubelet kubelet) {
    this.client = client;
    this.kubelet = kubelet;
  }

  void reconcile() {
    List<Pod> allPods = client.pods().inAnyNamespace().list().getItems();
    for (StatefulSet sts : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
      reconcile(sts, Owners.ownedBy(allPods, sts));
    }
  }

  private void reconcile(StatefulSet sts, List<Pod> pods) {
    String ns = sts.getMetadata().getNamespace();
    String name = sts.getMetadata().getName();
    int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    String revision = name + "-" + revision(sts);
    for (Pod pod : pods) {
      if (ordinal(sts, pod) >= replicas) {
        client.resource(pod).delete();
      }
    }
    for (int i = 0; i < replicas; i++) {
      String podName = name + "-" + i;
      boolean exists = pods.stream().anyMatch(p -> p.getMetadata().getName().equals(podName));
      if (!exists && !kubelet.isStopping(ns, podName)) {
        claims(sts, i);
        client.resource(pod(sts, i, revision)).create();
      }
    }
    List<Pod> current = pods.stream().filter(p -> ordinal(sts, p) < replicas).toList();
    long ready = current.stream().filter(StatefulSetController::ready).count();
    long updated = current.stream().filter(p -> revision.equals(label(p, REVISION))).count();
    current.stream()
        .filter(p -> !revision.equals(label(p, REVISION)))
        .max(Comparator.comparingInt(p -> ordinal(sts, p)))
        .filter(p -> current.stream().filter(o -> o != p).allMatch(StatefulSetController::ready))
        .ifPresent(p -> client.resource(p).delete());
    StatefulSetStatus status =
        new StatefulSetStatusBuilder()
            .withObservedGeneration(sts.getMetadata().getGeneration())
            .withReplicas(current.size())
            .withReadyReplicas((int) ready)
            .withAvailableReplicas((int) ready)
            .withCurrentReplicas((int) updated)
            .withUpdatedReplicas((int) updated)
            .withCurrentRevision(revision)
            .withUpdateRevision(revision)
            .build();
    if (!status.equals(sts.getStatus())) {
      sts.setStatus(status);
      Owners.writeStatus(client, sts);
    }
  }

  private void claims(StatefulSet sts, int ordinal) {
    var policy = sts.getSpec().getPersistentVolumeClaimRetentionPolicy();
    boolean owned = policy != null && "Delete".equals(policy.getWhenDeleted());
    for (PersistentVolumeClaim template : nullSafe(sts.getSpec().getVolumeClaimTemplates())) {
      String claim = claimName(sts, template, ordinal);
      String ns = sts.getMetadata().getNamespace();
      if (client.persistentVolumeClaims().inNamespace(ns).withName(claim).get() != null) {
        continue;
      }
      PersistentVolumeClaim pvc =
          new PersistentVolumeClaimBuilder()
              .withNewMetadata()
              .withName(claim)
              .withNamespace(ns)
              .withLabels(template.getMetadata().getLabels())
              .endMetadata()
              .withSpec(template.getSpec())
              .withNewStatus()
              .withPhase("Bound")
              .endStatus()
              .build();
      if (owned) {
        pvc.getMetadata().setOwnerReferences(List.of(owner(sts)));
      }
      client.resource(pvc).create();
    }
  }

  private Pod pod(StatefulSet sts, int ordinal, String revision) {
    var template = sts.getSpec().getTemplate();
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    String name = sts.getMetadata().getName() + "-" + ordinal;
    labels.put("apps.kubernetes.io/pod-index", String.valueOf(ordinal));
    labels.put("statefulset.kubernetes.io/pod-name", name);
    labels.put(REVISION, revision);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(sts.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(template.getMetadata().getAnnotations())
            .withOwnerReferences(owner(sts))
            .endMetadata()
            .withSpec(Serialization.clone(template.getSpec()))
            .build();
    pod.getSpec().setHostname(name);
    pod.getSpec().setSubdomain(sts.getSpec().getServiceName());
    pod.getSpec().setNodeName("local");
    for (PersistentVolumeClaim claim : nullSafe(sts.getSpec().getVolumeClaimTemplates())) {
      pod.getSpec()
          .getVolumes()
          .add(
              new VolumeBuilder()
                  .withName(claim.getMetadata().getName())
                  .withNewPersistentVolumeClaim()
                  .withClaimName(claimName(sts, claim, ordinal))
                  .endPersistentVolumeClaim()
                  .build());
    }
    return pod;
  }

  private static String claimName(StatefulSet sts, PersistentVolumeClaim template, int ordinal) {
    return template.getMetadata().getName() + "-" + sts.getMetadata().getName() + "-" + ordinal;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL =
      com.fasterxml.jackson.databind.json.JsonMapper.builder()
          .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  /**
   * A hash of the pod template, with keys in a fixed order (a rewrite of the same template by a
   * client must not look like a new one): pods of another template are outdated.
   */
  private static String revision(StatefulSet sts) {
    try {
      Object tree =
          CANONICAL.readValue(Serialization.asJson(sts.getSpec().getTemplate()), Object.class);
      byte[] json = CANONICAL.writeValueAsBytes(tree);
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(json))
          .substring(0, 10);
    } catch (NoSuchAlgorithmException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int ordinal(StatefulSet sts, Pod pod) {
    String suffix = pod.getMetadata().getName().substring(sts.getMetadata().getName().length() + 1);
    return Integer.parseInt(suffix);
  }

  static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && nullSafe(pod.getStatus().getConditions()).stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String label(Pod pod, String key) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
  }

  static OwnerReference owner(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(Objects.requireNonNull(owner.getMetadata().getUid()))
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
