package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one writer of the operator's part of the status. It writes only when the computed status
 * differs from the stored one (conditions keep their transition times, so an unchanged state is
 * equal), and with patches that touch only the operator's fields, so that the runner's {@code
 * progress} (patched by the runners) is never overwritten.
 *
 * <p>The patches hold however stale the copy they were computed from (the informer's cache, a
 * runner's progress patch in between): no precondition, nothing that fails on a field's absence.
 * The first write is a JSON merge patch of {@code status} (it creates the object or merges into one
 * the cache did not show yet); later writes are JSON patches (RFC 6902) that "add" each changed
 * field, a removed field as null, which the API server prunes for the CRD's non-nullable fields.
 * Not merge patches throughout: the fabric8 mock API server merges lists in merge patches instead
 * of replacing them, which would pile up conditions. Errors (a 429, a 5xx) fail the reconcile,
 * which JOSDK retries with backoff.
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
    var status =
        client
            .resources(StreamingQuery.class)
            .inNamespace(query.getMetadata().getNamespace())
            .withName(query.getMetadata().getName())
            .subresource("status");
    if (query.getStatus() == null) {
      Map<String, Object> fields = new LinkedHashMap<>(owned(desired));
      fields.values().removeIf(Objects::isNull);
      status.patch(PatchContext.of(PatchType.JSON_MERGE), JSON.asJson(Map.of("status", fields)));
    } else {
      status.patch(
          PatchContext.of(PatchType.JSON), JSON.asJson(operations(query.getStatus(), desired)));
    }
    return true;
  }

  /** One "add" per changed field; a field that is gone is set to null (pruned by the server). */
  static List<Map<String, Object>> operations(
      StreamingQueryStatus current, StreamingQueryStatus desired) {
    List<Map<String, Object>> ops = new ArrayList<>();
    Map<String, Object> before = owned(current);
    owned(desired)
        .forEach(
            (field, value) -> {
              if (!Objects.equals(before.get(field), value)) {
                ops.add(op("add", "/status/" + field, value));
              }
            });
    return ops;
  }

  private static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("op", op);
    operation.put("path", path);
    operation.put("value", value);
    return operation;
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
    return fields;
  }
}
