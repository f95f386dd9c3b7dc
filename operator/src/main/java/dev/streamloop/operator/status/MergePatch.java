package dev.streamloop.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON merge patch (RFC 7386) that turns one document into another: objects are compared key by
 * key (a key that is gone becomes null, which removes it), anything else that differs is replaced
 * whole, as a merge patch replaces lists.
 */
final class MergePatch {
  private MergePatch() {}

  /** The patch from {@code before} to {@code after} (two objects); empty when they are equal. */
  static ObjectNode diff(JsonNode before, JsonNode after) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode old = before.get(field.getKey());
      JsonNode now = field.getValue();
      if (old != null && old.isObject() && now.isObject()) {
        ObjectNode nested = diff(old, now);
        if (!nested.isEmpty()) {
          patch.set(field.getKey(), nested);
        }
      } else if (!now.equals(old)) {
        patch.set(field.getKey(), now);
      }
    }
    before
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!after.has(name)) {
                patch.putNull(name);
              }
            });
    return patch;
  }
}
