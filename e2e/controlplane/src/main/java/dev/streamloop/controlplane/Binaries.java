package dev.streamloop.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The control plane's binaries: {@code e2e/controlplane/build.sh} builds them from Go modules once
 * per machine (its progress line goes to the terminal) and prints where they are.
 */
final class Binaries {
  private static Path cached;

  private Binaries() {}

  static synchronized Path ensure(Path projectRoot) {
    if (cached != null) {
      return cached;
    }
    Path script = projectRoot.resolve("e2e/controlplane/build.sh");
    try {
      Process build =
          new ProcessBuilder("bash", script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = build.waitFor();
      Path bin = Path.of(out.strip());
      if (exit != 0 || !Files.isExecutable(bin.resolve("kube-apiserver"))) {
        throw new IllegalStateException(
            script
                + " failed (exit "
                + exit
                + "): the control plane could not be built; see above");
      }
      cached = bin;
      return bin;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the control plane", e);
    }
  }
}
