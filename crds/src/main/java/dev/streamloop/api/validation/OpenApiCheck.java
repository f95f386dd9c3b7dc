package dev.streamloop.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.streamloop.api.v1alpha1.Formats;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks a document against the CRD's OpenAPI v3 schema with a JSON-schema validator (networknt).
 * Unknown fields are errors, as with kubectl's default strict field validation: the schema is
 * checked with {@code additionalProperties: false} wherever the CRD lists an object's properties.
 */
final class OpenApiCheck {
  private final JsonSchema schema;

  OpenApiCheck(JsonNode openApiV3Schema) {
    ObjectNode strict = openApiV3Schema.deepCopy();
    // The CRD leaves the fields every object has to the API server; declare them here.
    ObjectNode root = strict.withObjectProperty("properties");
    root.putObject("apiVersion").put("type", "string");
    root.putObject("kind").put("type", "string");
    root.putObject("metadata").put("type", "object");
    forbidUnknownFields(strict);
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().pathType(PathType.LEGACY).typeLoose(false).build();
    // Draft 4 (what OpenAPI v3.0 schemas are based on) plus Kubernetes' extensions, which this
    // check leaves to the API server (CEL rules run in CelRules).
    JsonMetaSchema kubernetes =
        JsonMetaSchema.builder(JsonMetaSchema.getV4().getIri(), JsonMetaSchema.getV4())
            .keywords(
                Stream.of(
                        "x-kubernetes-validations",
                        "x-kubernetes-int-or-string",
                        "x-kubernetes-list-type",
                        "x-kubernetes-list-map-keys",
                        "x-kubernetes-preserve-unknown-fields",
                        "x-kubernetes-embedded-resource",
                        "x-kubernetes-map-type",
                        "nullable")
                    .map(NonValidationKeyword::new)
                    .toList())
            .build();
    this.schema =
        JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V4, builder -> builder.metaSchema(kubernetes))
            .getSchema(strict, config);
  }

  List<ValidationError> check(JsonNode document) {
    return schema.validate(document).stream().map(OpenApiCheck::toError).toList();
  }

  private static void forbidUnknownFields(JsonNode schema) {
    if (!(schema instanceof ObjectNode object)) {
      return;
    }
    if (object.has("properties")
        && !object.has("additionalProperties")
        && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      object.set("additionalProperties", BooleanNode.FALSE);
    }
    for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
      JsonNode child = it.next();
      if (child.isArray()) {
        child.forEach(OpenApiCheck::forbidUnknownFields);
      } else {
        forbidUnknownFields(child);
      }
    }
  }

  private static ValidationError toError(ValidationMessage m) {
    String path = fieldPath(m.getInstanceLocation().toString());
    Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
    String arg = args.length > 0 ? String.valueOf(args[0]) : "";
    String value = m.getInstanceNode() == null ? "" : m.getInstanceNode().toString();
    return switch (m.getType()) {
      case "required" -> new ValidationError(join(path, m.getProperty()), "Required value");
      case "additionalProperties" ->
          new ValidationError(
              join(path, m.getProperty()),
              "unknown field \""
                  + join(path, m.getProperty())
                  + "\": remove it or check its spelling and place (kubectl explain sq.spec)");
      case "enum" ->
          new ValidationError(
              path,
              "Unsupported value: "
                  + value
                  + ": supported values: "
                  + arg.replaceAll("[\\[\\]]", ""));
      // the API server's wording, then (for patterns) what the pattern means in words
      case "pattern" ->
          new ValidationError(
              path,
              "Invalid value: "
                  + value
                  + ": "
                  + path
                  + " in body should match '"
                  + arg
                  + "'"
                  + Formats.inWords(arg).map(words -> ": must be " + words).orElse(""));
      case "minimum" ->
          new ValidationError(
              path,
              "Invalid value: "
                  + value
                  + ": "
                  + path
                  + " in body should be greater than or equal to "
                  + bound(arg, m.getInstanceNode()));
      case "maximum" ->
          new ValidationError(
              path,
              "Invalid value: "
                  + value
                  + ": "
                  + path
                  + " in body should be less than or equal to "
                  + bound(arg, m.getInstanceNode()));
      case "minItems" ->
          new ValidationError(
              path,
              "Invalid value: "
                  + m.getInstanceNode().size()
                  + ": "
                  + path
                  + " in body should have at least "
                  + arg
                  + " items");
      case "maxItems" -> new ValidationError(path, "Too many: must have at most " + arg + " items");
      case "minLength" -> new ValidationError(path, "Invalid value: must not be empty");
      case "maxLength" ->
          new ValidationError(path, "Too long: may not be more than " + arg + " characters");
      case "type" ->
          new ValidationError(path, "Invalid value: " + value + ": must be of type " + args[1]);
      default -> new ValidationError(path, m.getMessage());
    };
  }

  /**
   * A bound as the API server prints it: as an integer when the value is one that fits an int64
   * (its integer check), else as Go's %v of a float64 (64, 100000, then 1e+06 and 1.5e+09 from an
   * exponent of 6 up), so that both name the same limit in the same words.
   */
  static String bound(String arg, JsonNode value) {
    boolean integer = value != null && value.isIntegralNumber() && value.canConvertToLong();
    return integer ? new BigDecimal(arg).stripTrailingZeros().toPlainString() : number(arg);
  }

  /** Go's %v of a float64. */
  static String number(String arg) {
    BigDecimal value = new BigDecimal(arg).stripTrailingZeros();
    int exponent = value.precision() - value.scale() - 1;
    if (exponent >= -4 && exponent < 6) {
      return value.toPlainString();
    }
    String digits = value.unscaledValue().abs().toString();
    return (value.signum() < 0 ? "-" : "")
        + digits.charAt(0)
        + (digits.length() > 1 ? "." + digits.substring(1) : "")
        + (exponent < 0 ? "e-" : "e+")
        + String.format("%02d", Math.abs(exponent));
  }

  /** networknt's "$.spec.sources[0]" to kubectl's "spec.sources[0]". */
  private static String fieldPath(String location) {
    return location.equals("$") ? "" : location.replaceFirst("^\\$\\.?", "");
  }

  private static String join(String path, String property) {
    return path.isEmpty() ? property : path + "." + property;
  }
}
