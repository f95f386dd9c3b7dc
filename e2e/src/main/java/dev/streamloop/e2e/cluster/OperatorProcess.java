package dev.streamloop.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real operator, the packaged Quarkus application (operator/target/quarkus-app), in its own
 * process against the local cluster, as the install manifests run it: same JVM options, text logs,
 * leader election off (the mock server cannot answer its permission check; one operator runs).
 */
public final class OperatorProcess implements AutoCloseable {
  private final Path jar;
  private final String apiServerUrl;
  private final Path log;
  private Process process;
  private int httpPort;

  public OperatorProcess(Path jar, String apiServerUrl, Path log) {
    this.jar = jar;
    this.apiServerUrl = apiServerUrl;
    this.log = log;
  }

  /** Starts the operator and waits until it reports ready (at most {@code timeout}). */
  public OperatorProcess start(Duration timeout) {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "the operator is not built at " + jar + ": ./mvnw -pl operator -am package -DskipTests");
    }
    httpPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx160m", "-XX:+UseSerialGC", "-jar", jar.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServerUrl);
    env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
    env.put("QUARKUS_KUBERNETES_CLIENT_TOKEN", "local");
    env.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
    env.put("QUARKUS_PROFILE", "local");
    env.put("STREAMLOOP_OPERATOR_NAMESPACE", "streamloop-system");
    env.put("STREAMLOOP_RUNNER_IMAGE", "streamloop/runner:0.1.0");
    env.put("STREAMLOOP_JSON_LOGS", "false");
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant deadline = Instant.now().plus(timeout);
    while (!ready()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator exited with " + process.exitValue() + "; its log: " + log);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the operator is not ready after " + timeout + "; " + log);
      }
      try {
        Thread.sleep(100); // polling its readiness endpoint, as a kubelet's probe does
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return this;
  }

  private boolean ready() {
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .build()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL, as a node failure or an OOM kill would end it. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
