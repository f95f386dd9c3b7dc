package dev.streamloop.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamloop.jdbc.PostgresServer;
import dev.streamloop.kafka.KafkaBroker;
import dev.streamloop.kafka.TestEvents;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connectors through the operator, against a real broker (in-process KRaft) and a real
 * PostgreSQL: each pipeline's runner is killed with SIGKILL between two waves of input, and the
 * output must still be exactly what one uninterrupted run produces.
 */
class ConnectorsTest {
  private static final Duration TWO_MINUTES = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void kafkaWindowedAggregationToKafkaIsExactlyOnceAcrossASigkill() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("kafka");
    // one partition: event time rises with the offset, so no record arrives behind the watermark
    broker.createTopic("events", 1);
    broker.createTopic("windows", 1);
    broker.produce("events", TestEvents.events(0, 6_000));
    e2e.apply(
        ns,
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: windows}
        spec:
          sources:
            - name: events
              kafka: {bootstrapServers: BROKERS, topics: [events], startingOffsets: earliest,
                      maxOffsetsPerTrigger: 1000}
              schema: [{name: ts, type: timestamp}, {name: country, type: string}]
              watermark: {column: ts, delay: 5s}
          query: >-
            SELECT window_start, country, COUNT(*) AS c
            FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '30' SECOND))
            GROUP BY window_start, window_end, country
          sinks:
            - name: out
              kafka: {bootstrapServers: BROKERS, topic: windows}
          outputMode: append
          trigger: {processingTime: 1s}
        """
            .replace("BROKERS", broker.bootstrapServers()));
    RunnerLifecycleTest.awaitBatch(e2e, ns, "windows", 2);

    e2e.sigkill(ns, "windows-runner-0");
    broker.produce("events", TestEvents.events(6_000, 12_000));

    // windows that end at or before the final watermark (119.99 s - 5 s), each complete, once
    Map<String, Long> expected = new HashMap<>();
    for (long start = 0; start + 30_000 <= 119_990 - 5_000; start += 30_000) {
      for (String country : TestEvents.COUNTRIES) {
        expected.put(start + "/" + country, 1_000L);
      }
    }
    List<String> emitted =
        await()
            .atMost(TWO_MINUTES)
            .pollInterval(Duration.ofSeconds(1))
            .until(ConnectorsTest::windows, w -> w.size() >= expected.size());
    Map<String, Long> counts = new HashMap<>();
    for (String window : emitted) {
      String[] parts = window.split("=");
      assertThat(counts.put(parts[0], Long.parseLong(parts[1])))
          .as("emitted twice: " + window)
          .isNull();
    }
    assertThat(counts).isEqualTo(expected);
  }

  private static List<String> windows() throws Exception {
    List<String> windows = new ArrayList<>();
    for (ConsumerRecord<String, String> record : broker.readCommitted("windows")) {
      JsonNode row = JSON.readTree(record.value());
      long start = Instant.parse(row.get("window_start").asText()).toEpochMilli();
      windows.add(start + "/" + row.get("country").asText() + "=" + row.get("c").asLong());
    }
    return windows;
  }

  @Test
  void filesToPostgresUpsertIsExactlyOnceAcrossASigkill(@TempDir Path dir) throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("jdbc");
    try (PostgresServer db = PostgresServer.start(dir.resolve("pg"))) {
      db.execute(
          "CREATE TABLE totals (country text PRIMARY KEY, orders bigint NOT NULL, n bigint NOT NULL)");
      e2e.client()
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("db")
                  .withNamespace(ns)
                  .endMetadata()
                  .withStringData(Map.of("username", PostgresServer.USER, "password", ""))
                  .build())
          .create();
      writeOrders(e2e.data(ns), 0, 5);
      e2e.apply(
          ns,
          """
          apiVersion: streamloop.dev/v1alpha1
          kind: StreamingQuery
          metadata: {name: totals}
          spec:
            sources:
              - name: orders
                file: {path: /data/in/*.json, maxFilesPerTrigger: 1}
                format: json
                schema: [{name: country, type: string}, {name: "n", type: long}]
            query: SELECT country, COUNT(*) AS orders, SUM(n) AS n FROM orders GROUP BY country
            sinks:
              - name: out
                jdbc: {url: "URL", table: totals, keyColumns: [country],
                       credentials: {secretName: db}, sslMode: disable}
            outputMode: update
            trigger: {processingTime: 1s}
            runner:
              terminationGracePeriodSeconds: 10
              volumes:
                - name: data
                  mountPath: /data
                  persistentVolumeClaim: {claimName: data}
          """
              .replace("URL", db.url()));
      RunnerLifecycleTest.awaitBatch(e2e, ns, "totals", 1);

      e2e.sigkill(ns, "totals-runner-0");
      writeOrders(e2e.data(ns), 5, 10);

      Map<String, String> expected = new TreeMap<>();
      for (String country : TestEvents.COUNTRIES) {
        long orders = 0;
        long n = 0;
        for (int id = 0; id < 1_000; id++) {
          if (TestEvents.COUNTRIES[id % 3].equals(country)) {
            orders++;
            n += id % 7;
          }
        }
        expected.put(country, orders + "/" + n);
      }
      await()
          .atMost(TWO_MINUTES)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> table(db), expected::equals);
    }
  }

  /** Files f of 100 orders each (ids 100f..100f+99). */
  private static void writeOrders(Path data, int from, int to) throws Exception {
    Path in = Files.createDirectories(data.resolve("in"));
    for (int f = from; f < to; f++) {
      Path tmp = in.resolve(".o" + f + ".tmp");
      Files.write(tmp, TestEvents.events(100 * f, 100 * f + 100));
      Files.move(tmp, in.resolve("o" + f + ".json"));
    }
  }

  private static Map<String, String> table(PostgresServer db) throws Exception {
    Map<String, String> table = new TreeMap<>();
    try (Connection c = db.connect();
        ResultSet rs = c.createStatement().executeQuery("SELECT * FROM totals")) {
      while (rs.next()) {
        table.put(rs.getString("country"), rs.getLong("orders") + "/" + rs.getLong("n"));
      }
    }
    return table;
  }
}
