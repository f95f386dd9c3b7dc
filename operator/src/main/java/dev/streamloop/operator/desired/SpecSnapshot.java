package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/**
 * The immutable ConfigMap that carries one generation's spec to the runners. One per generation: a
 * runner of generation 6 keeps reading generation 6's spec while generation 7 is rolled out, and
 * the operator never edits what a running pod mounted.
 */
public final class SpecSnapshot {
  public static final String COMPONENT = "spec-snapshot";

  /** The key, and the file name under {@link RunnerPod#QUERY_DIR}. */
  public static final String FILE = "query.yaml";

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private SpecSnapshot() {}

  public static ConfigMap build(StreamingQuery query) {
    return new ConfigMapBuilder()
        .withMetadata(
            Owners.meta(
                query,
                ChildNames.snapshot(query.getMetadata().getName(), generation(query)),
                COMPONENT))
        .withImmutable(true)
        .withData(Map.of(FILE, document(query)))
        .build();
  }

  /** The document the runner validates and runs: the query without status or server fields. */
  static String document(StreamingQuery query) {
    StreamingQuery snapshot = new StreamingQuery();
    snapshot.setMetadata(
        new ObjectMetaBuilder()
            .withName(query.getMetadata().getName())
            .withNamespace(query.getMetadata().getNamespace())
            .withGeneration(query.getMetadata().getGeneration())
            .withUid(query.getMetadata().getUid())
            .build());
    snapshot.setSpec(query.getSpec());
    return YAML.asYaml(snapshot);
  }

  static long generation(StreamingQuery query) {
    Long generation = query.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
