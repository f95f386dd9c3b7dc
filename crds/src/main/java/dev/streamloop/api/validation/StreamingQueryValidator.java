package dev.streamloop.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates StreamingQuery documents offline, the way the API server does with the committed CRD:
 * apply the schema's defaults, check the OpenAPI v3 schema (unknown fields are errors, as with
 * kubectl's strict field validation), then the CEL rules. GitOps pipelines, the runner's {@code
 * validate} command and the operator use it, so a query is judged the same everywhere.
 *
 * <p>Thread-safe; build it once ({@link #fromCrd()}) and reuse it.
 */
public final class StreamingQueryValidator {
  /** Where the committed CRD travels inside the jar. */
  public static final String CRD_RESOURCE =
      "/dev/streamloop/api/streamingqueries.streamloop.dev.yaml";

  private static final ObjectMapper YAML = new YAMLMapper();

  private final JSONSchemaProps schema;
  private final OpenApiCheck openApi;
  private final CelRules cel = new CelRules();

  private StreamingQueryValidator(CustomResourceDefinition crd) {
    this.schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    this.openApi =
        new OpenApiCheck(new KubernetesSerialization().convertValue(schema, JsonNode.class));
  }

  /** A validator for the CRD shipped in this jar. */
  public static StreamingQueryValidator fromCrd() {
    try (InputStream in = StreamingQueryValidator.class.getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("CRD resource missing from the classpath: " + CRD_RESOURCE);
      }
      return new StreamingQueryValidator(
          new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A validator for the given CRD (for example, a freshly generated one). */
  public static StreamingQueryValidator of(CustomResourceDefinition crd) {
    return new StreamingQueryValidator(crd);
  }

  /** Validates one YAML (or JSON) document. */
  public Result validateYaml(String yaml) {
    JsonNode document;
    try {
      document = YAML.readTree(yaml);
    } catch (IOException e) {
      return new Result(
          null, List.of(new ValidationError("", "not valid YAML: " + e.getMessage())));
    }
    return validate(document);
  }

  /** Validates a document; the input is not changed, the result holds a defaulted copy. */
  public Result validate(JsonNode input) {
    if (input == null || !input.isObject()) {
      return new Result(null, List.of(new ValidationError("", "expected a StreamingQuery object")));
    }
    ObjectNode document = input.deepCopy();
    List<ValidationError> errors = new ArrayList<>();
    if (!StreamingQuery.API_VERSION.equals(document.path("apiVersion").asText())
        || !StreamingQuery.KIND.equals(document.path("kind").asText())) {
      errors.add(
          new ValidationError(
              "apiVersion",
              "expected apiVersion "
                  + StreamingQuery.API_VERSION
                  + " and kind "
                  + StreamingQuery.KIND
                  + ", got "
                  + document.path("apiVersion").asText("(none)")
                  + " "
                  + document.path("kind").asText("(none)")));
      return new Result(document, errors);
    }
    if (!document.path("metadata").path("name").isTextual()) {
      errors.add(new ValidationError("metadata.name", "Required value: name the query"));
      return new Result(document, errors);
    }
    SchemaDefaults.apply(schema, document);
    errors.addAll(openApi.check(document));
    errors.addAll(cel.check(schema, document));
    return new Result(document, errors.stream().distinct().sorted().toList());
  }

  /**
   * The outcome of a validation.
   *
   * @param document The document with the schema's defaults applied (null if it was not an object).
   * @param errors Every error found, sorted by field; empty when the document is valid.
   */
  public record Result(JsonNode document, List<ValidationError> errors) {
    public boolean isValid() {
      return errors.isEmpty();
    }

    /** The valid document as the model; fails when it is invalid. */
    public StreamingQuery query() {
      if (!isValid()) {
        throw new IllegalStateException("invalid StreamingQuery: " + errors);
      }
      return new KubernetesSerialization().convertValue(document, StreamingQuery.class);
    }
  }
}
