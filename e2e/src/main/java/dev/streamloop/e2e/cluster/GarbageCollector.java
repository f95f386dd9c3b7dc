package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The garbage collector, for the kinds the operator and the controllers create: an object whose
 * owners are all gone is deleted (background propagation, so its own dependents follow on the next
 * pass). Owners may also be custom resources of the applied CRDs. A deleted claim's directory is
 * removed, as a dynamic provisioner's Delete reclaim policy would.
 */
final class GarbageCollector {
  private final KubernetesClient client;
  private final Path dir;
  private final Set<String> knownClaims = new HashSet<>();

  GarbageCollector(KubernetesClient client, Path dir) {
    this.client = client;
    this.dir = dir;
  }

  void reconcile() {
    List<HasMetadata> dependents = new ArrayList<>();
    dependents.addAll(client.pods().inAnyNamespace().list().getItems());
    dependents.addAll(client.configMaps().inAnyNamespace().list().getItems());
    dependents.addAll(client.secrets().inAnyNamespace().list().getItems());
    dependents.addAll(client.services().inAnyNamespace().list().getItems());
    dependents.addAll(client.serviceAccounts().inAnyNamespace().list().getItems());
    dependents.addAll(client.persistentVolumeClaims().inAnyNamespace().list().getItems());
    dependents.addAll(client.apps().statefulSets().inAnyNamespace().list().getItems());
    dependents.addAll(client.batch().v1().jobs().inAnyNamespace().list().getItems());
    dependents.addAll(client.rbac().roles().inAnyNamespace().list().getItems());
    dependents.addAll(client.rbac().roleBindings().inAnyNamespace().list().getItems());
    Set<String> uids = new HashSet<>();
    dependents.forEach(o -> uids.add(o.getMetadata().getUid()));
    for (CustomResourceDefinition crd :
        client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
      var spec = crd.getSpec();
      for (var version : spec.getVersions()) {
        client
            .genericKubernetesResources(
                spec.getGroup() + "/" + version.getName(), spec.getNames().getKind())
            .inAnyNamespace()
            .list()
            .getItems()
            .forEach(o -> uids.add(o.getMetadata().getUid()));
      }
    }
    for (HasMetadata object : dependents) {
      var owners = object.getMetadata().getOwnerReferences();
      if (owners != null
          && !owners.isEmpty()
          && owners.stream().noneMatch(r -> uids.contains(r.getUid()))) {
        client.resource(object).delete();
      }
    }
    for (HasMetadata object : dependents) {
      if (object instanceof io.fabric8.kubernetes.api.model.PersistentVolumeClaim claim) {
        knownClaims.add(claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName());
      }
    }
    Set<String> inUse = new HashSet<>();
    for (HasMetadata object : dependents) {
      if (object instanceof io.fabric8.kubernetes.api.model.Pod pod
          && pod.getSpec().getVolumes() != null) {
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getPersistentVolumeClaim() != null)
            .forEach(
                v ->
                    inUse.add(
                        pod.getMetadata().getNamespace()
                            + "/"
                            + v.getPersistentVolumeClaim().getClaimName()));
      }
    }
    reclaimVolumes(inUse);
  }

  /**
   * Deletes the directories of claims deleted while this cluster ran (not those of an earlier run:
   * the API server starts empty, the directories are how a restarted local cluster keeps
   * checkpoints), once no pod uses them (pvc-protection).
   */
  private void reclaimVolumes(Set<String> inUse) {
    Path volumes = dir.resolve("volumes");
    if (!Files.isDirectory(volumes)) {
      return;
    }
    try (Stream<Path> namespaces = Files.list(volumes)) {
      for (Path ns : namespaces.toList()) {
        try (Stream<Path> claims = Files.list(ns)) {
          for (Path claim : claims.toList()) {
            String name = claim.getFileName().toString();
            String namespace = ns.getFileName().toString();
            String key = namespace + "/" + name;
            if (knownClaims.contains(key)
                && !inUse.contains(key)
                && client.persistentVolumeClaims().inNamespace(namespace).withName(name).get()
                    == null) {
              delete(claim);
              knownClaims.remove(key);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path tree) throws IOException {
    try (Stream<Path> walk = Files.walk(tree)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
