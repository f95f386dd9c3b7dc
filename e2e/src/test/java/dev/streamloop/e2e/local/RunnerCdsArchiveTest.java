package dev.streamloop.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/cds-train}, which {@code bin/streamloop} and the runner image use to give the runner
 * its class-data archive, still trains on the runner the build just packaged. When its training
 * query stopped passing the runner's checks, the archive silently went missing and every runner
 * started slower with about 150 MB more memory (caught by the runner benchmark, not by a test).
 */
class RunnerCdsArchiveTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void theTrainingRunWritesAnArchive(@TempDir Path dir) throws Exception {
    Path archive = dir.resolve("runner.jsa");
    Path log = dir.resolve("log");
    Process train =
        new ProcessBuilder(
                ROOT.resolve("bin/cds-train").toString(),
                ROOT.resolve("runtime/target/runner/lib").toString(),
                archive.toString(),
                "-XX:+UseSerialGC",
                "-Xmx128m")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(train.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(train.exitValue()).as(() -> readLog(log)).isZero();
    // the runner's classes: tens of megabytes; a JDK-only archive would be a few
    assertThat(Files.size(archive)).isGreaterThan(20L << 20);
  }

  private static String readLog(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "cannot read " + log + ": " + e.getMessage();
    }
  }
}
