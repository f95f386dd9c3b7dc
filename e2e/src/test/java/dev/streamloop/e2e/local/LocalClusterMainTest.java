package dev.streamloop.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's main job as a user runs it, through {@code bin/streamloop local}: the quickstart
 * reaches Running with batches in the printed status, and Ctrl-C (SIGINT) ends it with no operator
 * or runner process left behind. The build that runs this test has just written the script's
 * classpath, so the script starts at once instead of building again.
 */
class LocalClusterMainTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void theQuickstartRunsAndCtrlCLeavesNoProcessBehind() throws Exception {
    Path dir = Files.createTempDirectory(ROOT.resolve("e2e/target"), "main-job-");
    Process main =
        new ProcessBuilder(
                // as from a terminal: a build started in the background (CI's `cmd &`) passes
                // SIGINT on as ignored, and a JVM that starts with it ignored never sees Ctrl-C
                "env",
                "--default-signal=INT",
                ROOT.resolve("bin/streamloop").toString(),
                "local",
                "--dir",
                dir.toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(main.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
              } catch (java.io.IOException e) {
                lines.add("read failed: " + e);
              }
            });
    reader.start();
    try {
      // a status line with phase Running, Ready True and a batch id
      await()
          .atMost(Duration.ofSeconds(180))
          .failFast(
              "the main job ended",
              () -> {
                if (!main.isAlive()) {
                  throw new AssertionError(
                      "the main job ended; it printed:\n" + String.join("\n", lines));
                }
              })
          .until(
              () ->
                  lines.stream()
                      .anyMatch(
                          l ->
                              l.matches(
                                  "quickstart\\s+Running\\s+\\S+\\s+append\\s+\\d+\\s+.*True.*")));
      assertThat(lines).noneMatch(l -> l.startsWith("building the runner"));
      List<ProcessHandle> children = main.descendants().toList();
      assertThat(children).hasSizeGreaterThanOrEqualTo(2); // the operator and the runner

      new ProcessBuilder("kill", "-INT", String.valueOf(main.pid())).start().waitFor();

      assertThat(main.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(5_000);
      assertThat(lines).anyMatch(l -> l.startsWith("stopped; nothing left running"));
      assertThat(children).noneMatch(ProcessHandle::isAlive);
    } finally {
      main.descendants().forEach(ProcessHandle::destroyForcibly);
      main.destroyForcibly();
    }
  }
}
