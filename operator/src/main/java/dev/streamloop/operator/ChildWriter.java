package dev.streamloop.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Writes the children the operator builds. Children it owns for their whole life (the runners'
 * ServiceAccount, Role, RoleBinding and StatefulSet) are written with server-side apply as field
 * manager {@value #FIELD_MANAGER}: the API server merges exactly the fields the operator sets,
 * keeps the ones others own (defaults, the StatefulSet controller's), and writes nothing when
 * nothing changed, so a steady state costs no writes and a stale cache cannot undo another
 * manager's change. Children that must never change once made (spec snapshots, Jobs, checkpoint
 * claims) are only created.
 */
final class ChildWriter {
  static final String FIELD_MANAGER = "streamloop-operator";

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
    try {
      return client.resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) { // it exists (a stale cache, another operator instance)
        throw e;
      }
      return client.resource(desired).get();
    }
  }

  /** Applies {@code desired}: the operator's fields become what it built. */
  <T extends HasMetadata> T apply(T desired) {
    return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /**
   * Applies the StatefulSet. Its selector, service name and claim templates cannot change once it
   * exists (the API server refuses the whole apply): they are kept as the informer's copy ({@code
   * cached}, null if it has none) shows them, so a new checkpoint size applies to new claims only,
   * which the docs say.
   */
  StatefulSet apply(StatefulSet desired, StatefulSet cached) {
    if (cached != null) {
      desired.getSpec().setSelector(cached.getSpec().getSelector());
      desired.getSpec().setServiceName(cached.getSpec().getServiceName());
      desired.getSpec().setVolumeClaimTemplates(cached.getSpec().getVolumeClaimTemplates());
    }
    return apply(desired);
  }
}
