package dev.streamloop.controlplane;

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

  /** Runs kubectl with {@code args}. */
  public Result run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs kubectl with {@code input} on its standard input (for {@code -f -}). */
  public Result runWithInput(String input, String... args) {
    List<String> command =
        new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return start(new ProcessBuilder(command), input, args);
  }

  /**
   * Runs kubectl as a user whose kubeconfig is in {@code KUBECONFIG} and whose PATH has {@code
   * pluginDir} and kubectl's own directory first: how kubectl finds and runs a plugin ({@code
   * kubectl streamloop ...}; kubectl looks for a plugin only when no flag precedes its name).
   */
  public Result runPlugin(Path pluginDir, String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder
        .environment()
        .put(
            "PATH",
            pluginDir
                + java.io.File.pathSeparator
                + binary.getParent()
                + java.io.File.pathSeparator
                + System.getenv("PATH"));
    return start(builder, null, args);
  }

  private Result start(ProcessBuilder builder, String input, String... args) {
    try {
      Process process = builder.directory(workDir.toFile()).redirectErrorStream(true).start();
      try (var stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
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
