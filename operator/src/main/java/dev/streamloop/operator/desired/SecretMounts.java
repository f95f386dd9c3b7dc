package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.BasicAuthSecret;
import dev.streamloop.api.v1alpha1.KafkaSecurity;
import dev.streamloop.api.v1alpha1.SecretKeySelector;
import dev.streamloop.api.v1alpha1.SinkSpec;
import dev.streamloop.api.v1alpha1.SourceSpec;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.TlsSpec;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Secrets a query's connectors reference, mounted read-only into the runner where it reads them
 * (key K of Secret S at {@value #DIR}/S/K): only the referenced keys, so the operator never reads a
 * Secret (no RBAC on Secrets) and no value passes through it. The volumes are optional: a missing
 * Secret or key lets the pod start, and the runner names it in its exit message (exit 2, reported
 * in the query's status) instead of the pod hanging in ContainerCreating.
 */
final class SecretMounts {
  static final String DIR = "/etc/streamloop/secrets";

  private SecretMounts() {}

  /** Secret name → the keys of it the query references, in a stable order. */
  static Map<String, SortedSet<String>> referenced(StreamingQuery query) {
    Map<String, SortedSet<String>> secrets = new TreeMap<>();
    for (SourceSpec source : query.getSpec().sources()) {
      if (source.kafka() != null) {
        kafka(source.kafka().security(), secrets);
      }
    }
    for (SinkSpec sink : query.getSpec().sinks()) {
      if (sink.kafka() != null) {
        kafka(sink.kafka().security(), secrets);
      }
      if (sink.jdbc() != null) {
        basicAuth(sink.jdbc().credentials(), secrets);
        key(sink.jdbc().caCertificate(), secrets);
      }
    }
    return secrets;
  }

  static List<Volume> volumes(StreamingQuery query) {
    List<Volume> volumes = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, SortedSet<String>> secret : referenced(query).entrySet()) {
      volumes.add(
          new VolumeBuilder()
              .withName("secret-" + i++)
              .withNewSecret()
              .withSecretName(secret.getKey())
              .withOptional(true)
              .withDefaultMode(0440) // the runner's group (fsGroup) reads; nobody writes
              .withItems(
                  secret.getValue().stream()
                      .map(k -> new KeyToPathBuilder().withKey(k).withPath(k).build())
                      .toList())
              .endSecret()
              .build());
    }
    return volumes;
  }

  static List<VolumeMount> mounts(StreamingQuery query) {
    List<VolumeMount> mounts = new ArrayList<>();
    int i = 0;
    for (String secret : referenced(query).keySet()) {
      mounts.add(
          new VolumeMountBuilder()
              .withName("secret-" + i++)
              .withMountPath(DIR + "/" + secret)
              .withReadOnly(true)
              .build());
    }
    return mounts;
  }

  private static void kafka(KafkaSecurity security, Map<String, SortedSet<String>> secrets) {
    if (security == null) {
      return;
    }
    TlsSpec tls = security.tls();
    if (tls != null) {
      key(tls.caCertificate(), secrets);
      if (tls.clientCertificateSecret() != null) {
        add(secrets, tls.clientCertificateSecret(), "tls.crt");
        add(secrets, tls.clientCertificateSecret(), "tls.key");
      }
    }
    if (security.sasl() != null) {
      basicAuth(security.sasl().credentials(), secrets);
    }
  }

  private static void basicAuth(BasicAuthSecret auth, Map<String, SortedSet<String>> secrets) {
    if (auth != null) {
      add(secrets, auth.secretName(), auth.usernameKeyOrDefault());
      add(secrets, auth.secretName(), auth.passwordKeyOrDefault());
    }
  }

  private static void key(SecretKeySelector selector, Map<String, SortedSet<String>> secrets) {
    if (selector != null) {
      add(secrets, selector.name(), selector.key());
    }
  }

  private static void add(Map<String, SortedSet<String>> secrets, String secret, String key) {
    secrets.computeIfAbsent(secret, s -> new TreeSet<>()).add(key);
  }
}
