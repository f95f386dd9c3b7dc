package dev.streamloop.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the validator does with a file before the schema sees it: a key given twice, a file of
 * several documents, and values the schema cannot judge but the model cannot hold. Each is refused
 * with a message that names the problem, never silently read one way.
 */
class DocumentReadingTest {
  private static final StreamingQueryValidator VALIDATOR = StreamingQueryValidator.fromCrd();

  private static final String VALID =
      """
      apiVersion: streamloop.dev/v1alpha1
      kind: StreamingQuery
      metadata:
        name: ticks
        labels: {team: data}
      spec:
        sources:
          - name: ticks
            rate: {rowsPerSecond: 5}
        query: SELECT value FROM ticks
        sinks:
          - name: out
            console: {}
      """;

  @Test
  void theBaseFileIsValid() {
    assertThat(VALIDATOR.validateYaml(VALID).errors()).isEmpty();
  }

  @Test
  void aKeyGivenTwiceIsRefusedNotOverwritten() {
    String twice =
        VALID.replace("query: SELECT value FROM ticks", "query: SELECT 1\n  query: SELECT 2");

    List<ValidationError> errors = VALIDATOR.validateYaml(twice).errors();

    assertThat(errors)
        .singleElement()
        .asString()
        .contains("not valid YAML", "Duplicate field 'query'");
  }

  @Test
  void aFileOfTwoDocumentsIsRefusedWithTheCount() {
    List<ValidationError> errors = VALIDATOR.validateYaml(VALID + "---\n" + VALID).errors();

    assertThat(errors)
        .singleElement()
        .asString()
        .contains("the file holds 2 documents", "give each StreamingQuery a file of its own");
  }

  @Test
  void aTrailingSeparatorIsNotASecondDocument() {
    assertThat(VALIDATOR.validateYaml("---\n" + VALID + "---\n").errors()).isEmpty();
  }

  @Test
  void aNestedLabelIsRefusedAtItsField() {
    String nested = VALID.replace("labels: {team: data}", "labels: {team: {name: data}}");

    List<ValidationError> errors = VALIDATOR.validateYaml(nested).errors();

    assertThat(errors)
        .singleElement()
        .satisfies(e -> assertThat(e.field()).isEqualTo("metadata.labels.team"))
        .satisfies(e -> assertThat(e.message()).startsWith("Invalid value:"));
  }

  @Test
  void anAliasIsRefusedRatherThanReadAsItsName() {
    String aliased =
        VALID
            .replace("query: SELECT value FROM ticks", "query: &q SELECT value FROM ticks")
            .replace("  labels: {team: data}", "  labels: {team: *q}");

    List<ValidationError> errors = VALIDATOR.validateYaml(aliased).errors();

    assertThat(errors).singleElement().asString().contains("the YAML uses the alias *q");
  }

  @Test
  void aDocumentLargerThanTheApiServerTakesIsRefusedBeforeParsing() {
    String huge =
        VALID.replace(
            "  labels: {team: data}",
            "  labels: {team: data}\n  annotations: {big: \"" + "x".repeat(4 << 20) + "\"}");

    List<ValidationError> errors = VALIDATOR.validateYaml(huge).errors();

    assertThat(errors).singleElement().asString().contains("accepts at most 3 MiB");
  }
}
