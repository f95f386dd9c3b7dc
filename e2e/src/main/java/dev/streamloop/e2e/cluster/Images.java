package dev.streamloop.e2e.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The images this machine can run, each as what its Dockerfile would run (images/): the runner
 * image (any image named {@code *}/runner) is a JVM on the runner's jars, the operator image
 * ({@code *}/operator) the packaged Quarkus application. A container runtime would also give the
 * JVM the container's memory limit ({@code -XX:MaxRAM} here) and its port (Quarkus' HTTP port is
 * set to the loopback port that stands for the container's port 8080).
 */
final class Images {
  /** The operator's container port (manifests/operator/deployment.yaml). */
  private static final String OPERATOR_PORT = "8080";

  private final Path runnerLib;
  private final Path operatorJar;

  Images(Path runnerLib, Path operatorJar) {
    this.runnerLib = runnerLib;
    this.operatorJar = operatorJar;
  }

  /** The repository's build output, from its root. */
  static Images of(Path root) {
    return new Images(
        root.resolve("runtime/target/runner/lib").toAbsolutePath(),
        root.resolve("operator/target/quarkus-app/quarkus-run.jar").toAbsolutePath());
  }

  /** Thrown for an image this machine cannot run (the pod shows ErrImagePull). */
  static final class UnknownImage extends Exception {
    UnknownImage(String message) {
      super(message);
    }
  }

  /**
   * An image's entry point and its environment (the Dockerfile's ENV, which the container's env
   * overrides).
   */
  record Entrypoint(List<String> command, Map<String, String> env) {}

  /** What {@code image} runs, given the loopback ports of the container's ports. */
  Entrypoint entrypoint(String image, long memoryLimit, Map<String, Integer> hostPorts)
      throws UnknownImage {
    String repository = image == null ? "" : image.replaceAll("[:@].*$", "");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> jvm = new ArrayList<>(List.of(java, "-XX:MaxRAM=" + memoryLimit));
    if (repository.equals("runner") || repository.endsWith("/runner")) {
      require(runnerLib, "./mvnw -pl runtime -am package -DskipTests");
      jvm.addAll(
          List.of("-XX:+UseSerialGC", "-cp", runnerLib + "/*", "dev.streamloop.runner.Main"));
      return new Entrypoint(
          jvm,
          Map.of(
              "JAVA_TOOL_OPTIONS",
              "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"));
    }
    if (repository.equals("operator") || repository.endsWith("/operator")) {
      require(operatorJar, "./mvnw -pl operator -am package -DskipTests");
      Integer port = hostPorts.get(OPERATOR_PORT);
      if (port != null) {
        jvm.add("-Dquarkus.http.port=" + port);
      }
      jvm.addAll(List.of("-jar", operatorJar.toString()));
      return new Entrypoint(
          jvm,
          Map.of(
              "JAVA_TOOL_OPTIONS",
              "-XX:MaxRAMPercentage=30 -XX:+UseSerialGC -Djava.io.tmpdir=/tmp"));
    }
    throw new UnknownImage(
        "image \""
            + image
            + "\" is not known to the local cluster: it runs the Streamloop runner image (any image"
            + " named */runner) from "
            + runnerLib
            + " and the operator image (*/operator) from "
            + operatorJar);
  }

  private static void require(Path built, String how) throws UnknownImage {
    if (!Files.exists(built)) {
      throw new UnknownImage("the image's files are not built at " + built + ": " + how);
    }
  }
}
