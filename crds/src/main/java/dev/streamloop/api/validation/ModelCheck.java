package dev.streamloop.api.validation;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import java.util.List;

/**
 * Whether a document the schema accepts can also be held by the model: a value beyond its Java type
 * (maxFilesPerTrigger 2147483648 in an int), or metadata that is no string map (nested labels). The
 * schema cannot say it; the model refuses it, and the error names the field instead of a stack
 * trace.
 */
final class ModelCheck {
  private ModelCheck() {}

  static List<ValidationError> check(ObjectMapper model, JsonNode document) {
    try {
      model.treeToValue(document, StreamingQuery.class);
      return List.of();
    } catch (JsonMappingException e) {
      return List.of(new ValidationError(path(e), "Invalid value: " + reason(e)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      return List.of(new ValidationError("", "Invalid value: " + e.getMessage()));
    }
  }

  /** The field as kubectl names it: spec.sources[0].file.maxFilesPerTrigger. */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String reason(JsonMappingException e) {
    String message = e.getOriginalMessage();
    if (message.contains("out of range")) {
      return "out of range for the field's type (" + message.replaceAll("\\s*\\n.*", "") + ")";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
