package dev.streamloop.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.streamloop.api.v1alpha1.StreamingQuery;
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

  /** The same CRD as JSON, written by the build: parsed about ten times faster than the YAML. */
  static final String CRD_JSON_RESOURCE =
      "/dev/streamloop/api/streamingqueries.streamloop.dev.json";

  private static final ObjectMapper YAML = new YAMLMapper();

  /** For documents: a key given twice is an error, as in kubectl's strict decoding. */
  private static final ObjectMapper STRICT_YAML =
      YAMLMapper.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final ObjectMapper JSON = new ObjectMapper();
  // Plain Jackson reads the model (it carries its own annotations); fabric8's serialization
  // set-up costs a few hundred milliseconds of start-up that a runner does not need.
  private static final ObjectMapper MODEL =
      new ObjectMapper()
          .configure(
              com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
              false);

  private final JsonNode schema;
  private final OpenApiCheck openApi;
  private final CelRules cel = new CelRules(CelRuleArchive.load());

  private StreamingQueryValidator(JsonNode crd) {
    this.schema = crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema");
    if (!schema.isObject()) {
      throw new IllegalStateException("the CRD has no spec.versions[0].schema.openAPIV3Schema");
    }
    this.openApi = new OpenApiCheck(schema);
  }

  /** A validator for the CRD shipped in this jar. */
  public static StreamingQueryValidator fromCrd() {
    try (InputStream json = StreamingQueryValidator.class.getResourceAsStream(CRD_JSON_RESOURCE)) {
      if (json != null) {
        return new StreamingQueryValidator(JSON.readTree(json));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (InputStream in = StreamingQueryValidator.class.getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("CRD resource missing from the classpath: " + CRD_RESOURCE);
      }
      return new StreamingQueryValidator(YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The largest request the API server takes (etcd's limit on an object is about the same). */
  static final int MAX_DOCUMENT_BYTES = 3 * 1024 * 1024;

  /** Validates one YAML (or JSON) document. */
  public Result validateYaml(String yaml) {
    if (yaml.length() > MAX_DOCUMENT_BYTES) {
      // refused before parsing: a 10 MB document took a minute and half a gigabyte to refuse
      return new Result(
          null,
          List.of(
              new ValidationError(
                  "",
                  "the document has "
                      + yaml.length()
                      + " characters; the API server accepts at most 3 MiB: keep the query"
                      + " smaller")));
    }
    String alias = firstAlias(yaml);
    if (alias != null) {
      return new Result(
          null,
          List.of(
              new ValidationError(
                  "",
                  "the YAML uses the alias *"
                      + alias
                      + ", which the runner does not expand: write the value out (kubectl expands"
                      + " aliases when it applies a file)")));
    }
    List<JsonNode> documents = new ArrayList<>();
    try (var values = STRICT_YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (values.hasNextValue()) {
        JsonNode document = values.nextValue();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (IOException | RuntimeException e) {
      return new Result(
          null, List.of(new ValidationError("", "not valid YAML: " + firstLine(e.getMessage()))));
    }
    if (documents.size() > 1) {
      // kubectl applies each document of a file; a runner runs one query: say so, never pick one
      return new Result(
          null,
          List.of(
              new ValidationError(
                  "",
                  "the file holds "
                      + documents.size()
                      + " documents (separated by ---): give each StreamingQuery a file of its"
                      + " own")));
    }
    return validate(documents.isEmpty() ? null : documents.get(0));
  }

  /** The first alias (*name) of {@code yaml}, or null; Jackson would read it as its name. */
  private static String firstAlias(String yaml) {
    try (YAMLParser parser = (YAMLParser) STRICT_YAML.getFactory().createParser(yaml)) {
      while (parser.nextToken() != null) {
        if (parser.isCurrentAlias()) {
          return parser.getText();
        }
      }
    } catch (IOException | RuntimeException e) {
      return null; // not YAML: reading it says why
    }
    return null;
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
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
    errors.addAll(ListMapCheck.check(schema, document));
    errors.addAll(cel.check(schema, document));
    if (errors.isEmpty()) {
      errors.addAll(ModelCheck.check(MODEL, document));
    }
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
      return MODEL.convertValue(document, StreamingQuery.class);
    }
  }
}
