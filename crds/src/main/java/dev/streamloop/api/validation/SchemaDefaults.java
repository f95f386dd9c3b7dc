package dev.streamloop.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.Map;

/**
 * Applies the schema's defaults to a document, as the API server does before it validates: a
 * missing property with a default gets it, and defaulting continues inside the defaulted value (so
 * {@code default: {}} fills in the defaults of the object's own properties).
 */
final class SchemaDefaults {
  private SchemaDefaults() {}

  static void apply(JSONSchemaProps schema, JsonNode node) {
    if (schema == null || node == null) {
      return;
    }
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
        JSONSchemaProps child = property.getValue();
        if (!object.has(property.getKey()) && child.getDefault() != null) {
          object.set(property.getKey(), child.getDefault().deepCopy());
        }
        apply(child, object.get(property.getKey()));
      }
      if (schema.getAdditionalProperties() != null) {
        JSONSchemaProps values = schema.getAdditionalProperties().getSchema();
        object.forEach(value -> apply(values, value));
      }
    } else if (node.isArray() && schema.getItems() != null) {
      node.forEach(item -> apply(schema.getItems().getSchema(), item));
    }
  }
}
