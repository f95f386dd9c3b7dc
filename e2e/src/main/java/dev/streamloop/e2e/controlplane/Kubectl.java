package dev.streamloop.e2e.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl against a control plane, as a user runs it. */
public final class Kubectl {
  private final Path binary;
  private final Path kubeconfig;
  private final Path workDir;

  Kubectl(Path binary, Path kubeconfig, Path workDir) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.workDir = workDir;
  }

  /**
   * What one kubectl call printed.
   *
   * @param exitCode Its exit code.
   * @param output Standard output and error, interleaved.
   */
  public record Result(int exitCode, String output) {}

  Result run(String... args) {
    List<String> command =
        new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not end");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
