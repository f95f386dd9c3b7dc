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
 * docs/architecture.md, operator rules), and only when the desired object changed: each child
 * carries a hash of the object the operator built, because the API server adds defaults that make a
 * field-by-field comparison differ forever. A steady state costs no writes.
 */
final class ChildWriter {
  static final String HASH = "streamloop.dev/desired-hash";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;
  private final boolean createFirst;

  /**
   * @param createFirst The children are probably new (the query was never reconciled): try to
   *     create first and read only on a conflict, which halves the requests for a new query.
   *     Otherwise read first, which costs one request for an existing child.
   */
  ChildWriter(KubernetesClient client, boolean createFirst) {
    this.client = client;
    this.createFirst = createFirst;
  }

  /** Creates {@code desired} if it does not exist; never changes an existing one. */
  <T extends HasMetadata> T createIfAbsent(T desired) {
    if (!createFirst) {
      T existing = client.resource(desired).get();
      if (existing != null) {
        return existing;
      }
    }
    return create(desired);
  }

  /**
   * Creates {@code desired}, or replaces the existing object when the desired object changed; the
   * update carries the existing resourceVersion, so a concurrent change fails with a conflict and
   * the reconcile is retried.
   */
  <T extends HasMetadata> T createOrUpdate(T desired) {
    T existing = createFirst ? null : client.resource(desired).get();
    return write(desired, existing, (before, after) -> {});
  }

  /**
   * The StatefulSet, compared with the informer's copy ({@code cached}, null if it has none: then a
   * create that conflicts reads the live one, so a stale cache never makes a second one). Its
   * selector, service name and claim templates cannot change: an update keeps the existing ones (a
   * new checkpoint size applies to new claims only, which the docs say).
   */
  StatefulSet createOrUpdate(StatefulSet desired, StatefulSet cached) {
    return write(
        desired,
        cached,
        (existing, update) -> {
          update.getSpec().setSelector(existing.getSpec().getSelector());
          update.getSpec().setServiceName(existing.getSpec().getServiceName());
          update.getSpec().setVolumeClaimTemplates(existing.getSpec().getVolumeClaimTemplates());
        });
  }

  private <T extends HasMetadata> T write(
      T desired, T existing, java.util.function.BiConsumer<T, T> keepImmutable) {
    // The hash of what the operator built, before anything is copied from the server's object.
    String hash = hash(desired);
    var annotations = new HashMap<String, String>();
    if (desired.getMetadata().getAnnotations() != null) {
      annotations.putAll(desired.getMetadata().getAnnotations());
    }
    annotations.put(HASH, hash);
    desired.getMetadata().setAnnotations(annotations);
    if (existing == null) {
      T created = tryCreate(desired);
      if (created != null) {
        return created;
      }
      existing = client.resource(desired).get(); // it existed: compare with the live one
    }
    if (existing.getMetadata().getAnnotations() != null
        && Objects.equals(existing.getMetadata().getAnnotations().get(HASH), hash)) {
      return existing;
    }
    keepImmutable.accept(existing, desired);
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return client.resource(desired).update();
  }

  /** Creates {@code desired}; null if it exists already. */
  private <T extends HasMetadata> T tryCreate(T desired) {
    try {
      return client.resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) { // it exists (a stale cache, another operator instance)
        return null;
      }
      throw e;
    }
  }

  private <T extends HasMetadata> T create(T desired) {
    T created = tryCreate(desired);
    return created != null ? created : client.resource(desired).get();
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
