package dev.streamloop.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of invalid documents in invalid-queries.yaml: each must fail with its expected field
 * and message, checked against the committed CRD's schema and CEL rules.
 */
class InvalidQueriesTest {
  private static final StreamingQueryValidator VALIDATOR = StreamingQueryValidator.fromCrd();
  private static final JsonNode TABLE = readTable();

  static Stream<Arguments> cases() {
    return StreamSupport.stream(TABLE.get("cases").spliterator(), false)
        .map(c -> Arguments.of(c.get("case").asText(), c));
  }

  @Test
  void theBaseDocumentIsValid() {
    StreamingQueryValidator.Result result = VALIDATOR.validate(TABLE.get("base"));

    assertThat(result.errors()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void invalidDocumentFailsWithItsMessage(String name, JsonNode c) {
    JsonNode document = MergePatch.apply(TABLE.get("base"), c.get("patch"));

    List<ValidationError> errors = VALIDATOR.validate(document).errors();

    assertThat(errors)
        .as("errors of \"%s\"", name)
        .anySatisfy(
            e -> {
              assertThat(e.field()).isEqualTo(c.get("field").asText());
              assertThat(e.message()).contains(c.get("message").asText());
            });
  }

  @Test
  void everyCelRuleOfTheCrdHasAFailingCase() {
    List<String> ruleMessages = new ArrayList<>();
    collectRuleMessages(crdSchema(), ruleMessages);
    List<String> expected =
        StreamSupport.stream(TABLE.get("cases").spliterator(), false)
            .map(c -> c.get("message").asText())
            .toList();

    assertThat(ruleMessages).hasSizeGreaterThanOrEqualTo(30);
    assertThat(ruleMessages)
        .allSatisfy(
            rule ->
                assertThat(expected)
                    .as("a case in invalid-queries.yaml for the rule \"%s\"", rule)
                    .anyMatch(m -> m.contains(literal(rule)) || rule.contains(m)));
  }

  /** A rule's message, or the longest literal of its messageExpression. */
  private static String literal(String message) {
    if (!message.startsWith("'")) {
      return message;
    }
    return Arrays.stream(message.split("'"))
        .max(Comparator.comparingInt(String::length))
        .orElseThrow()
        .replace("\"", "")
        .trim();
  }

  private static void collectRuleMessages(JSONSchemaProps schema, List<String> out) {
    if (schema == null) {
      return;
    }
    if (schema.getXKubernetesValidations() != null) {
      for (ValidationRule rule : schema.getXKubernetesValidations()) {
        out.add(rule.getMessage() != null ? rule.getMessage() : rule.getMessageExpression());
      }
    }
    schema.getProperties().values().forEach(p -> collectRuleMessages(p, out));
    if (schema.getItems() != null) {
      collectRuleMessages(schema.getItems().getSchema(), out);
    }
  }

  private static JSONSchemaProps crdSchema() {
    try (InputStream in =
        InvalidQueriesTest.class.getResourceAsStream(StreamingQueryValidator.CRD_RESOURCE)) {
      return new KubernetesSerialization()
          .unmarshal(in, CustomResourceDefinition.class)
          .getSpec()
          .getVersions()
          .get(0)
          .getSchema()
          .getOpenAPIV3Schema();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode readTable() {
    try (InputStream in = InvalidQueriesTest.class.getResourceAsStream("/invalid-queries.yaml")) {
      return new YAMLMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 7386 JSON merge patch. */
  static final class MergePatch {
    static JsonNode apply(JsonNode target, JsonNode patch) {
      if (!patch.isObject()) {
        return patch.deepCopy();
      }
      ObjectNode result =
          target != null && target.isObject()
              ? (ObjectNode) target.deepCopy()
              : JsonNodeFactory.instance.objectNode();
      patch
          .properties()
          .forEach(
              e -> {
                if (e.getValue().isNull()) {
                  result.remove(e.getKey());
                } else {
                  result.set(e.getKey(), apply(result.get(e.getKey()), e.getValue()));
                }
              });
      return result;
    }
  }
}
