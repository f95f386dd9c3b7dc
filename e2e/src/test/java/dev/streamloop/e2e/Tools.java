package dev.streamloop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the command-line tools the tests need, built or installed by the scripts in e2e/tools. */
final class Tools {
  private Tools() {}

  /** What a command printed (standard output and error) and its exit code. */
  record Output(int exitCode, String text) {}

  /** Helm, built from Go modules once per machine (e2e/tools/build-helm.sh). */
  static String helm() throws Exception {
    return mustRun(E2eCluster.ROOT, Map.of(), "bash", "e2e/tools/build-helm.sh").strip();
  }

  /** kubectl as built with the local cluster's control plane. */
  static String kubectl() throws Exception {
    return mustRun(E2eCluster.ROOT, Map.of(), "bash", "e2e/controlplane/build.sh").strip()
        + "/kubectl";
  }

  /** A tool from a Debian package, installed when missing (e2e/tools/debian-tool.sh). */
  static String debian(String tool, String pkg) throws Exception {
    return mustRun(E2eCluster.ROOT, Map.of(), "bash", "e2e/tools/debian-tool.sh", tool, pkg)
        .strip();
  }

  static Output run(Path dir, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end");
    }
    return new Output(process.exitValue(), text);
  }

  static String mustRun(Path dir, Map<String, String> env, String... command) throws Exception {
    Output output = run(dir, env, command);
    assertThat(output.exitCode()).as(String.join(" ", command) + ":\n" + output.text()).isZero();
    return output.text();
  }
}
