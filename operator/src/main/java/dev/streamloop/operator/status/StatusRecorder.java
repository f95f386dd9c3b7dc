package dev.streamloop.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
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
 * equal), with one JSON merge patch of the status subresource that holds only the operator's
 * fields, a cleared one as null, so that the runners' {@code progress} is never overwritten. The
 * patch holds however stale the copy it was computed from (the informer's cache, a runner's
 * progress patch in between): it has no precondition and fails on no field's absence, and a merge
 * patch of a custom resource replaces lists (conditions, runs) whole. Errors (a 429, a 5xx) fail
 * the reconcile, which JOSDK retries with backoff.
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
    client
        .resources(StreamingQuery.class)
        .inNamespace(query.getMetadata().getNamespace())
        .withName(query.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            JSON.asJson(Map.of("status", patch(query.getStatus(), desired))));
    return true;
  }

  /**
   * The merge patch of the operator's fields from {@code current} to {@code desired}: a field (or a
   * nested one, such as restarts.nextRestartTime) that is gone is null, which removes it.
   */
  static JsonNode patch(StreamingQueryStatus current, StreamingQueryStatus desired) {
    return MergePatch.diff(tree(owned(current)), tree(owned(desired)));
  }

  private static JsonNode tree(Map<String, Object> fields) {
    Map<String, Object> present = new LinkedHashMap<>(fields);
    present.values().removeIf(Objects::isNull);
    return JSON.convertValue(present, JsonNode.class);
  }

  /** The operator's fields (null: absent). */
  static Map<String, Object> owned(StreamingQueryStatus status) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("observedGeneration", status == null ? null : status.observedGeneration());
    fields.put("activeGeneration", status == null ? null : status.activeGeneration());
    fields.put("phase", status == null ? null : status.phase());
    fields.put("trigger", status == null ? null : status.trigger());
    fields.put("conditions", status == null ? null : status.conditions());
    fields.put("queryId", status == null ? null : status.queryId());
    fields.put("runId", status == null ? null : status.runId());
    fields.put("runs", status == null ? null : status.runs());
    fields.put("lastScheduleTime", status == null ? null : status.lastScheduleTime());
    fields.put("nextScheduleTime", status == null ? null : status.nextScheduleTime());
    fields.put("restarts", status == null ? null : status.restarts());
    fields.put("pendingChange", status == null ? null : status.pendingChange());
    fields.put("lastReset", status == null ? null : status.lastReset());
    fields.put("lag", status == null ? null : status.lag());
    return fields;
  }
}
