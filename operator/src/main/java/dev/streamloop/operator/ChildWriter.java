package dev.streamloop.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Creates and updates children with plain create and update calls (no server-side apply, see
 * DESIGN.md §4), and only when the desired object changed: each child carries a hash of the object
 * the operator built, because the API server adds defaults that make a field-by-field comparison
 * differ forever. A steady state costs no writes.
 */
final class ChildWriter {
  static final String HASH = "streamloop.dev/desired-hash";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;

  ChildWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Creates {@code desired} if it does not exist; never changes an existing one. */
  <T extends HasMetadata> T createIfAbsent(T desired) {
    T existing = client.resource(desired).get();
    if (existing != null) {
      return existing;
    }
    return create(desired);
  }

  /**
   * Creates {@code desired}, or replaces the existing object when the desired object changed; the
   * update carries the existing resourceVersion, so a concurrent change fails with a conflict and
   * the reconcile is retried.
   */
  <T extends HasMetadata> T createOrUpdate(T desired) {
    String hash = hash(desired);
    var annotations = new HashMap<String, String>();
    if (desired.getMetadata().getAnnotations() != null) {
      annotations.putAll(desired.getMetadata().getAnnotations());
    }
    annotations.put(HASH, hash);
    desired.getMetadata().setAnnotations(annotations);
    T existing = client.resource(desired).get();
    if (existing == null) {
      return create(desired);
    }
    if (existing.getMetadata().getAnnotations() != null
        && Objects.equals(existing.getMetadata().getAnnotations().get(HASH), hash)) {
      return existing;
    }
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return client.resource(desired).update();
  }

  /**
   * A StatefulSet's selector, service name and claim templates cannot change: an update keeps the
   * existing ones (a new checkpoint size applies to new claims only, which the docs say).
   */
  StatefulSet createOrUpdate(StatefulSet desired) {
    StatefulSet existing = client.resource(desired).get();
    if (existing != null) {
      desired.getSpec().setSelector(existing.getSpec().getSelector());
      desired.getSpec().setServiceName(existing.getSpec().getServiceName());
      desired.getSpec().setVolumeClaimTemplates(existing.getSpec().getVolumeClaimTemplates());
    }
    return createOrUpdate((HasMetadata) desired) instanceof StatefulSet s ? s : null;
  }

  private <T extends HasMetadata> T create(T desired) {
    try {
      return client.resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) { // created meanwhile (a stale cache, another operator instance)
        return client.resource(desired).get();
      }
      throw e;
    }
  }

  static String hash(HasMetadata desired) {
    try {
      byte[] json = JSON.asJson(desired).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
