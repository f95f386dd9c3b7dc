package dev.streamloop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engine is a plain-Java library: no Kubernetes, fabric8 or Quarkus types in it. */
class EngineHasNoKubernetesDependencyTest {
  @Test
  void engineSourcesImportNoKubernetesTypes() throws IOException {
    Path engine = Path.of("src/main/java/dev/streamloop/engine");
    List<String> offending;
    try (Stream<Path> files = Files.walk(engine)) {
      offending =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(
                  p -> {
                    try {
                      String source = Files.readString(p);
                      return source.contains("import io.fabric8")
                          || source.contains("import io.quarkus")
                          || source.contains("import dev.streamloop.api")
                          || source.contains("import dev.streamloop.runner");
                    } catch (IOException e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .map(Path::toString)
              .toList();
    }

    assertThat(engine).isDirectory();
    assertThat(offending).isEmpty();
  }
}
