package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;

/** Object metadata of a child: its name, the query's namespace, labels and owner reference. */
final class Owners {
  private Owners() {}

  static ObjectMeta meta(StreamingQuery query, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(query.getMetadata().getNamespace())
        .withLabels(Labels.of(query, component))
        .withOwnerReferences(List.of(owner(query)))
        .build();
  }

  /** Controller reference: garbage collection deletes the child with the query. */
  static OwnerReference owner(StreamingQuery query) {
    return new OwnerReferenceBuilder()
        .withApiVersion(StreamingQuery.API_VERSION)
        .withKind(StreamingQuery.KIND)
        .withName(query.getMetadata().getName())
        .withUid(query.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
