package dev.streamloop.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API server's check of lists declared {@code x-kubernetes-list-type: map}: two items with the
 * same key fields are rejected, with the server's own field and message ({@code
 * spec.sources[0].schema[1]: Duplicate value: {"name":"a"}}). JSON-schema validators know nothing
 * of list-maps, so this check stands beside {@link OpenApiCheck}.
 */
final class ListMapCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ListMapCheck() {}

  static List<ValidationError> check(JsonNode schema, JsonNode document) {
    List<ValidationError> errors = new ArrayList<>();
    walk(schema, document, "", errors);
    return errors;
  }

  private static void walk(
      JsonNode schema, JsonNode value, String path, List<ValidationError> out) {
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode child = schema.path("properties").path(field.getKey());
        if (child.isObject()) {
          walk(
              child,
              field.getValue(),
              path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
              out);
        }
      }
    } else if (value.isArray()) {
      JsonNode items = schema.path("items");
      if ("map".equals(schema.path("x-kubernetes-list-type").asText())) {
        duplicates(schema.path("x-kubernetes-list-map-keys"), value, path, out);
      }
      for (int i = 0; i < value.size(); i++) {
        walk(items, value.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private static void duplicates(
      JsonNode keys, JsonNode list, String path, List<ValidationError> out) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      ObjectNode key = JSON.createObjectNode();
      keys.forEach(k -> key.set(k.asText(), item.path(k.asText())));
      if (!seen.add(key.toString())) {
        out.add(new ValidationError(path + "[" + i + "]", "Duplicate value: " + key));
      }
    }
  }
}
