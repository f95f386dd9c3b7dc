package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/** Owner references and status writes shared by the emulated controllers. */
final class Owners {
  private Owners() {}

  /** The objects among {@code all} that {@code owner} controls. */
  static <T extends HasMetadata> List<T> ownedBy(List<T> all, HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    return all.stream()
        .filter(
            o ->
                o.getMetadata().getOwnerReferences() != null
                    && o.getMetadata().getOwnerReferences().stream()
                        .anyMatch(r -> uid.equals(r.getUid())))
        .toList();
  }

  /**
   * Replaces {@code object}'s status with a JSON patch, which neither conflicts with spec writes
   * nor merges lists (as the mock server does with a merge patch); gone objects are skipped.
   */
  static void writeStatus(KubernetesClient client, HasMetadata object) {
    try {
      Object status = object.getClass().getMethod("getStatus").invoke(object);
      String patch =
          io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
              .writeValueAsString(List.of(Map.of("op", "add", "path", "/status", "value", status)));
      client.resource(object).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    } catch (ReflectiveOperationException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
