package dev.streamloop.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real runner JVM, as the kubelet would start it, with its output captured to files. */
final class RunnerProcess {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private RunnerProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The mountPath of the tests' data volume, {@link #DATA_VOLUME}. */
  static final String DATA = "/data";

  /** The runner section of a test query that declares its data volume. */
  static final String DATA_VOLUME =
      "runner:\n  volumes:\n    - {name: data, mountPath: /data, emptyDir: {}}\n";

  /**
   * Starts the runner with {@code args} in {@code workDir}; a {@code run} without --mount sees the
   * query's /data volume as {@code workDir}.
   */
  static RunnerProcess start(Path workDir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    if (args.length > 0 && args[0].equals("run") && !List.of(args).contains("--mount")) {
      // the tests' queries keep their files on a volume at /data, as in a pod: here it is the
      // work directory
      command.addAll(List.of("--mount", DATA + "=" + workDir.toAbsolutePath()));
    }
    Path out = Files.createTempFile(workDir, "runner", ".out");
    Path err = Files.createTempFile(workDir, "runner", ".err");
    Process process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    return new RunnerProcess(process, out, err);
  }

  /** Waits for the exit code, failing after {@code seconds}. */
  int exitCode(long seconds) throws Exception {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "runner did not exit within " + seconds + " s; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  /** Whether the runner exited within {@code millis}. */
  boolean exitedWithin(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  int exitValue() {
    return process.exitValue();
  }

  void sigterm() {
    process.destroy();
  }

  void sigkill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String stdout() throws IOException {
    return Files.readString(stdout);
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }
}
