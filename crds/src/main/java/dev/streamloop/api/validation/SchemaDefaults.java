package dev.streamloop.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Applies the schema's defaults to a document, as the API server does before it validates: a
 * missing property with a default gets it, and defaulting continues inside the defaulted value (so
 * {@code default: {}} fills in the defaults of the object's own properties).
 */
final class SchemaDefaults {
  private SchemaDefaults() {}

  static void apply(JsonNode schema, JsonNode node) {
    if (schema == null || schema.isMissingNode() || node == null) {
      return;
    }
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
        JsonNode child = property.getValue();
        if (!object.has(property.getKey()) && child.has("default")) {
          object.set(property.getKey(), child.get("default").deepCopy());
        }
        apply(child, object.get(property.getKey()));
      }
      JsonNode values = schema.path("additionalProperties");
      if (values.isObject()) {
        object.forEach(value -> apply(values, value));
      }
    } else if (node.isArray() && schema.has("items")) {
      node.forEach(item -> apply(schema.get("items"), item));
    }
  }
}
