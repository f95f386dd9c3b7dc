package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker or database whose host does not resolve, or that refuses connections, is an unavailable
 * service: the runner stays up and retries with backoff, /readyz answers 503 naming the host, and
 * nothing crashes (a producer that cannot be constructed once crash-looped the runner).
 */
class UnreachableServicesTest {
  private static final Pattern PORT = Pattern.compile("on port (\\d+)");

  @TempDir Path dir;

  private RunnerProcess run(String sink, String... options) throws Exception {
    Path file = dir.resolve("q.yaml");
    Files.writeString(
        file,
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: unreachable}
        spec:
          sources:
            - name: ticks
              rate: {rowsPerSecond: 10}
          query: SELECT * FROM ticks
          sinks:
            - name: out
              %s
          outputMode: append
          trigger: {processingTime: 1s}
        """
            .formatted(sink));
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "run", "--query", file.toString(), "--checkpoint", "cp", "--http-port", "0"));
    args.addAll(java.util.List.of(options));
    return RunnerProcess.start(dir, args.toArray(String[]::new));
  }

  /** Waits until /readyz answers 503 and returns its body. */
  private static String notReady(RunnerProcess runner) throws Exception {
    int port =
        await()
            .atMost(Duration.ofSeconds(60))
            .failFast(
                "the runner exited",
                () -> {
                  if (!runner.isAlive()) {
                    throw new AssertionError(
                        "the runner exited: " + runner.stderr() + runner.stdout());
                  }
                })
            .until(
                () -> {
                  Matcher m = PORT.matcher(runner.stderr());
                  return m.find() ? Integer.parseInt(m.group(1)) : -1;
                },
                p -> p > 0);
    HttpClient http = HttpClient.newHttpClient();
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              HttpResponse<String> response =
                  http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              return response.statusCode() == 503 ? response.body() : null;
            },
            body -> body != null);
  }

  @Test
  void aKafkaSinkWhoseHostDoesNotResolveIsRetriedNotCrashed() throws Exception {
    RunnerProcess runner =
        run("kafka: {bootstrapServers: \"no-such-broker.invalid:9092\", topic: out}");
    try {
      assertThat(notReady(runner))
          .contains("Kafka sink out (bootstrap servers no-such-broker.invalid:9092)")
          .contains("no bootstrap server resolves");
      assertThat(runner.isAlive()).as(runner.stderr()).isTrue();
      assertThat(runner.stderr()).doesNotContain("Failed to construct kafka producer\n");
    } finally {
      runner.sigkill();
    }
  }

  @Test
  void aDatabaseThatRefusesConnectionsIsRetriedAndNamed() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort(); // nothing listens there once the socket is closed
    }
    Files.createDirectories(dir.resolve("secrets/db"));
    Files.writeString(dir.resolve("secrets/db/username"), "shop");
    Files.writeString(dir.resolve("secrets/db/password"), "secret");
    RunnerProcess runner =
        run(
            ("jdbc: {url: \"jdbc:postgresql://127.0.0.1:%d/shop\", table: ticks,"
                    + " credentials: {secretName: db}}")
                .formatted(closed),
            "--secrets-dir",
            dir.resolve("secrets").toString());
    try {
      assertThat(notReady(runner))
          .contains("JDBC sink ticks at jdbc:postgresql://127.0.0.1:" + closed + "/shop")
          .contains("SQLSTATE 08");
      assertThat(runner.isAlive()).as(runner.stderr()).isTrue();
    } finally {
      runner.sigkill();
    }
  }
}
