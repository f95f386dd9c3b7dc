package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one writer of the operator's part of the status. It writes only when the computed status
 * differs from the stored one (conditions keep their transition times, so an unchanged state is
 * equal), and with a JSON merge patch of the operator's fields only, so that the runner's {@code
 * progress} (patched by the runners) is never overwritten.
 */
public final class StatusRecorder {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private final KubernetesClient client;

  public StatusRecorder(KubernetesClient client) {
    this.client = client;
  }

  /** Writes {@code desired} if it differs; true if it wrote. */
  public boolean record(StreamingQuery query, StreamingQueryStatus desired) {
    if (Objects.equals(owned(query.getStatus()), owned(desired))) {
      return false;
    }
    Map<String, Object> patch = Map.of("status", owned(desired));
    client
        .resources(StreamingQuery.class)
        .inNamespace(query.getMetadata().getNamespace())
        .withName(query.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.asJson(patch));
    return true;
  }

  /** The operator's fields; a merge patch with null removes a field. */
  static Map<String, Object> owned(StreamingQueryStatus status) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("observedGeneration", status == null ? null : status.observedGeneration());
    fields.put("activeGeneration", status == null ? null : status.activeGeneration());
    fields.put("phase", status == null ? null : status.phase());
    fields.put("trigger", status == null ? null : status.trigger());
    fields.put("conditions", status == null ? null : status.conditions());
    fields.put("runs", status == null ? null : status.runs());
    fields.put("lastScheduleTime", status == null ? null : status.lastScheduleTime());
    fields.put("nextScheduleTime", status == null ? null : status.nextScheduleTime());
    fields.put("restarts", status == null ? null : status.restarts());
    return fields;
  }
}
