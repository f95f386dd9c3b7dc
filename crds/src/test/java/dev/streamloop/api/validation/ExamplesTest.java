package dev.streamloop.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.OutputMode;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example under manifests/examples/ is a valid StreamingQuery for the committed CRD. */
class ExamplesTest {
  private static final StreamingQueryValidator VALIDATOR = StreamingQueryValidator.fromCrd();
  private static final Path EXAMPLES =
      Path.of(System.getProperty("streamloop.repoRoot"), "manifests", "examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      return yaml.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleIsValidAndReadsAsTheModel(Path example) throws IOException {
    StreamingQueryValidator.Result result = VALIDATOR.validateYaml(Files.readString(example));

    assertThat(result.errors()).as("errors in %s", example.getFileName()).isEmpty();
    StreamingQuery query = result.query();
    assertThat(query.getMetadata().getName()).isNotBlank();
    assertThat(query.getSpec().sources()).isNotEmpty();
    assertThat(query.getSpec().outputMode()).isNotNull();
  }

  @Test
  void theExamplesTheIssueAsksForAreThere() throws IOException {
    List<String> names = examples().map(p -> p.getFileName().toString()).toList();

    assertThat(names)
        .contains(
            "quickstart-rate-console.yaml",
            "file-to-file-available-now.yaml",
            "kafka-windowed-aggregation.yaml",
            "scheduled-available-now.yaml",
            "file-to-jdbc-upsert.yaml");
  }

  @Test
  void defaultsAreAppliedBeforeTheRulesAsTheApiServerDoes() throws IOException {
    StreamingQuery query =
        VALIDATOR
            .validateYaml(Files.readString(EXAMPLES.resolve("quickstart-rate-console.yaml")))
            .query();

    assertThat(query.getSpec().outputMode()).isEqualTo(OutputMode.APPEND);
    assertThat(query.getSpec().parallelism()).isEqualTo(1);
    assertThat(query.getSpec().checkpoint().size().toString()).isEqualTo("1Gi");
    assertThat(query.getSpec().checkpoint().retainBatches()).isEqualTo(100);
    assertThat(query.getSpec().restartPolicy().initialBackoff()).isEqualTo("10s");
    assertThat(query.getSpec().badRecords().policy().name()).isEqualTo("Fail");
    assertThat(query.getSpec().sinks().get(0).console().numRows()).isEqualTo(5);
    assertThat(query.getSpec().sinks().get(0).console().truncate()).isTrue();
    assertThat(query.getSpec().suspend()).isFalse();
  }
}
