package dev.streamloop.api.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The committed CRD and API reference must be exactly what the build generates from the model, so
 * that {@code kubectl apply -f crds/} installs the API the code implements.
 */
class GeneratedFilesUpToDateTest {

  @ParameterizedTest(name = "{1} is up to date")
  @CsvSource({
    "streamloop.generatedCrd, crds/streamingqueries.streamloop.dev.yaml",
    "streamloop.generatedApiDoc, docs/api-reference.md"
  })
  void committedFileEqualsGenerated(String generatedProperty, String committed) throws IOException {
    Path generated = Path.of(System.getProperty(generatedProperty));
    Path committedFile = Path.of(System.getProperty("streamloop.repoRoot")).resolve(committed);
    List<String> expected = Files.readAllLines(generated);
    List<String> actual =
        Files.exists(committedFile) ? Files.readAllLines(committedFile) : List.of();

    List<String> diff =
        UnifiedDiffUtils.generateUnifiedDiff(
            committed, "generated", actual, DiffUtils.diff(actual, expected), 3);

    assertThat(diff)
        .as(
            "%s differs from what the build generates from crds/src/main/java. Regenerate it with"
                + " ./mvnw -pl crds -Pupdate-crd process-test-classes and commit it. Diff:%n%s",
            committed, String.join("\n", diff))
        .isEmpty();
  }
}
