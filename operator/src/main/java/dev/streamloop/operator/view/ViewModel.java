package dev.streamloop.operator.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Comparator;
import java.util.List;

/** The JSON the web view's page reads: pure functions of queries, batches and events. */
final class ViewModel {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private ViewModel() {}

  /** One line per query, sorted by namespace and name. */
  static ArrayNode list(List<StreamingQuery> queries) {
    ArrayNode lines = JsonNodeFactory.instance.arrayNode();
    queries.stream()
        .sorted(
            Comparator.comparing((StreamingQuery q) -> q.getMetadata().getNamespace())
                .thenComparing(q -> q.getMetadata().getName()))
        .forEach(q -> lines.add(line(q)));
    return lines;
  }

  private static ObjectNode line(StreamingQuery query) {
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("namespace", query.getMetadata().getNamespace());
    line.put("name", query.getMetadata().getName());
    StreamingQueryStatus status = query.getStatus();
    if (status == null) {
      return line.put("phase", "New");
    }
    line.put("phase", status.phase() == null ? "Pending" : status.phase().name());
    line.put("trigger", status.trigger());
    if (status.lag() != null) {
      line.set("lag", JSON.convertValue(status.lag(), JsonNode.class));
    }
    line.put("fresh", conditionStatus(status, "Fresh"));
    line.put("caughtUp", conditionStatus(status, "CaughtUp"));
    line.put("ready", conditionStatus(status, "Ready"));
    // what a person should read first: why it is stalled or degraded, else why it is not ready
    problem(status).ifPresent(c -> line.put("reason", c.reason()).put("message", c.message()));
    return line;
  }

  private static java.util.Optional<Condition> problem(StreamingQueryStatus status) {
    if (status.conditions() == null) {
      return java.util.Optional.empty();
    }
    for (String type : List.of("Stalled", "Degraded")) {
      for (Condition c : status.conditions()) {
        if (c.type().equals(type) && c.status() == Condition.Status.True) {
          return java.util.Optional.of(c);
        }
      }
    }
    return status.conditions().stream()
        .filter(c -> c.type().equals("Ready") && c.status() != Condition.Status.True)
        .findFirst();
  }

  private static String conditionStatus(StreamingQueryStatus status, String type) {
    return status.conditions() == null
        ? null
        : status.conditions().stream()
            .filter(c -> c.type().equals(type))
            .map(c -> c.status().name())
            .findFirst()
            .orElse(null);
  }

  /** The query's status (without progress), its recent batches and events. */
  static ObjectNode detail(
      StreamingQuery query, List<BatchHistory.Batch> batches, List<Event> events) {
    ObjectNode detail = line(query);
    if (query.getStatus() != null) {
      ObjectNode status = JSON.convertValue(query.getStatus(), ObjectNode.class);
      status.remove("progress");
      detail.set("status", status);
    }
    ArrayNode recent = detail.putArray("batches");
    for (BatchHistory.Batch batch : batches) {
      ObjectNode entry = JSON.convertValue(batch.progress(), ObjectNode.class);
      entry.remove("runner");
      entry.put("replica", batch.replica());
      recent.add(entry);
    }
    ArrayNode list = detail.putArray("events");
    events.stream()
        .sorted(Comparator.comparing(ViewModel::eventTime).reversed())
        .limit(50)
        .forEach(
            e ->
                list.addObject()
                    .put("type", e.getType())
                    .put("reason", e.getReason())
                    .put("message", e.getMessage())
                    .put("count", e.getCount() == null ? 1 : e.getCount())
                    .put("time", eventTime(e)));
    return detail;
  }

  private static String eventTime(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      return e.getEventTime().getTime();
    }
    return e.getMetadata().getCreationTimestamp() == null
        ? ""
        : e.getMetadata().getCreationTimestamp();
  }
}
