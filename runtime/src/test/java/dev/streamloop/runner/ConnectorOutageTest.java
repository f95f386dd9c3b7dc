package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamloop.jdbc.PostgresServer;
import dev.streamloop.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker restart and a database restart in the middle of a run: the runner waits and retries (not
 * Ready meanwhile, saying why), then goes on; nothing is lost and nothing written twice.
 */
class ConnectorOutageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static KafkaBroker broker;

  @TempDir Path dir;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  private static List<String> records(int from, int to) {
    List<String> values = new ArrayList<>();
    for (int id = from; id < to; id++) {
      values.add("{\"id\":%d,\"country\":\"%s\"}".formatted(id, id % 2 == 0 ? "DE" : "FR"));
    }
    return values;
  }

  private RunnerProcess start(String yaml, String... extraArgs) throws Exception {
    Path query = dir.resolve("query.yaml");
    Files.writeString(query, yaml.replace("BROKERS", broker.bootstrapServers()));
    List<String> args =
        new ArrayList<>(
            List.of("run", "--query", query.toString(), "--checkpoint", "cp", "--http-port", "0"));
    args.addAll(List.of(extraArgs));
    return RunnerProcess.start(dir, args.toArray(String[]::new));
  }

  private static void awaitLog(RunnerProcess runner, String text) {
    await().atMost(DEADLINE).until(() -> runner.stderr().contains(text) || !runner.isAlive());
    try {
      assertThat(runner.stderr()).contains(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** /readyz of the runner, as the kubelet's readiness probe sees it. */
  private static HttpResponse<String> readyz(RunnerProcess runner) throws Exception {
    return get(runner, "/readyz");
  }

  private static HttpResponse<String> get(RunnerProcess runner, String path) throws Exception {
    Matcher port = Pattern.compile("on port (\\d+)").matcher(runner.stderr());
    assertThat(port.find()).isTrue();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port.group(1) + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBrokerRestartMidRunIsWaitedOutWithNoRecordLostOrWrittenTwice() throws Exception {
    broker.createTopic("in", 1);
    broker.createTopic("out", 1);
    broker.produce("in", records(0, 1_000));
    RunnerProcess runner =
        start(
            """
            apiVersion: streamloop.dev/v1alpha1
            kind: StreamingQuery
            metadata: {name: relay}
            spec:
              sources:
                - name: clicks
                  kafka: {bootstrapServers: BROKERS, topics: [in], startingOffsets: earliest,
                          maxOffsetsPerTrigger: 200}
                  schema: [{name: id, type: long}, {name: country, type: string}]
              query: SELECT id, country FROM clicks
              sinks:
                - name: out
                  kafka: {bootstrapServers: BROKERS, topic: out}
            """);
    try {
      awaitLog(runner, "batch 4:");
      broker.restartBroker(
          () -> {
            awaitLog(runner, " waits: ");
            try {
              HttpResponse<String> ready = readyz(runner);
              assertThat(ready.statusCode()).isEqualTo(503);
              assertThat(ready.body()).contains("brokers unavailable");
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
      broker.produce("in", records(1_000, 2_000));
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  readyz(runner).statusCode() == 200
                      && broker.readCommitted("out").size() >= 2_000);
      runner.sigterm();
      assertThat(runner.exitCode(30)).as(runner.stderr()).isZero();
    } finally {
      runner.sigkill();
    }
    List<Long> ids = new ArrayList<>();
    for (var record : broker.readCommitted("out")) {
      ids.add(JSON.readTree(record.value()).get("id").asLong());
    }
    assertThat(ids).containsExactlyElementsOf(LongStream.range(0, 2_000).boxed().toList());
  }

  @Test
  void aDatabaseRestartMidRunIsWaitedOutWithNoRowLostOrWrittenTwice() throws Exception {
    broker.createTopic("orders", 1);
    broker.produce("orders", records(0, 1_000));
    try (PostgresServer db = PostgresServer.start(dir.resolve("pg"))) {
      db.execute("CREATE TABLE orders (id bigint, country text)");
      Path secrets = PostgresServer.writeSecret(dir);
      RunnerProcess runner =
          start(
              """
              apiVersion: streamloop.dev/v1alpha1
              kind: StreamingQuery
              metadata: {name: store}
              spec:
                sources:
                  - name: orders
                    kafka: {bootstrapServers: BROKERS, topics: [orders], startingOffsets: earliest,
                            maxOffsetsPerTrigger: 200}
                    schema: [{name: id, type: long}, {name: country, type: string}]
                query: SELECT id, country FROM orders
                sinks:
                  - name: out
                    jdbc: {url: "URL", table: orders, credentials: {secretName: db}, sslMode: disable}
              """
                  .replace("URL", db.url()),
              "--secrets-dir",
              secrets.toString());
      try {
        awaitLog(runner, "batch 4:");
        db.stop();
        broker.produce("orders", records(1_000, 2_000));
        awaitLog(runner, " waits: ");
        HttpResponse<String> ready = readyz(runner);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("JDBC sink orders");
        var recent = JSON.readTree(get(runner, "/progress").body());
        assertThat(recent.get(recent.size() - 1).get("message").asText())
            .startsWith("Retrying batch")
            .contains("JDBC sink orders");
        db.restart();
        await()
            .atMost(DEADLINE)
            .until(() -> count(db) >= 2_000 && readyz(runner).statusCode() == 200);
        runner.sigterm();
        assertThat(runner.exitCode(30)).as(runner.stderr()).isZero();
      } finally {
        runner.sigkill();
      }
      assertThat(count(db)).isEqualTo(2_000);
      try (Connection c = db.connect();
          ResultSet rs =
              c.createStatement()
                  .executeQuery("SELECT count(DISTINCT id), min(id), max(id) FROM orders")) {
        rs.next();
        assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
            .containsExactly(2_000L, 0L, 1_999L);
      }
    }
  }

  private static long count(PostgresServer db) throws Exception {
    try (Connection c = db.connect();
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
