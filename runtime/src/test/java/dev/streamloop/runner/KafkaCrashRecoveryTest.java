package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamloop.jdbc.PostgresServer;
import dev.streamloop.kafka.KafkaBroker;
import dev.streamloop.kafka.TestEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exactly-once crash tests of the Kafka and JDBC sinks: a real runner process reads a real
 * broker and is killed with SIGKILL at random moments at least 20 times, new records arriving
 * before each start. After a final clean run, a read_committed consumer (or the table) sees exactly
 * what one uninterrupted run produces: nothing lost, nothing twice.
 */
class KafkaCrashRecoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Kafka clients take a second or so to connect and fence before the first batch. */
  private static final SigkillLoop.Timing KAFKA_START = new SigkillLoop.Timing(2_500, 5_000);

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

  private Path query(String yaml) throws Exception {
    Path query = dir.resolve("query.yaml");
    Files.writeString(query, yaml.replace("BROKERS", broker.bootstrapServers()));
    return query;
  }

  @Test
  void kafkaFilterKafkaDeliversEveryMatchingRecordOnceAcrossTwentySigkills() throws Exception {
    broker.createTopic("clicks", 3);
    broker.createTopic("clicks-eu", 1);
    Path query =
        query(
            """
            apiVersion: streamloop.dev/v1alpha1
            kind: StreamingQuery
            metadata: {name: filter}
            spec:
              sources:
                - name: clicks
                  kafka: {bootstrapServers: BROKERS, topics: [clicks], startingOffsets: earliest,
                          maxOffsetsPerTrigger: 100}
                  schema: [{name: id, type: long}, {name: country, type: string}]
              query: SELECT id, country FROM clicks WHERE country <> 'US'
              sinks:
                - name: out
                  kafka: {bootstrapServers: BROKERS, topic: clicks-eu}
              trigger: {availableNow: {}}
            """);
    int[] produced = {0};
    SigkillLoop.Result result =
        SigkillLoop.run(
            dir,
            query,
            20,
            KAFKA_START,
            () -> {
              broker.produce("clicks", TestEvents.events(produced[0], produced[0] + 2_000));
              produced[0] += 2_000;
            });

    List<Long> ids = new ArrayList<>();
    for (ConsumerRecord<String, String> record : broker.readCommitted("clicks-eu")) {
      JsonNode row = JSON.readTree(record.value());
      assertThat(row.get("country").asText()).isNotEqualTo("US");
      ids.add(row.get("id").asLong());
    }
    List<Long> expected = new ArrayList<>();
    for (long id = 0; id < produced[0]; id++) {
      if (!TestEvents.COUNTRIES[(int) (id % 3)].equals("US")) {
        expected.add(id);
      }
    }
    System.out.printf(
        "Kafka→filter→Kafka crash test: %d SIGKILLs, %d mid-batch, %d records in, %d out%n",
        result.kills(), result.midBatch(), produced[0], ids.size());
    assertThat(result.kills()).isGreaterThanOrEqualTo(20);
    assertThat(result.midBatch()).isGreaterThanOrEqualTo(3);
    assertThat(ids).hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void kafkaWindowKafkaEmitsEveryClosedWindowOnceWithItsFullCountAcrossTwentySigkills(String store)
      throws Exception {
    String events = "events-" + store;
    String windows = "windows-" + store;
    broker.createTopic(events, 1);
    broker.createTopic(windows, 1);
    Path query =
        query(
            """
            apiVersion: streamloop.dev/v1alpha1
            kind: StreamingQuery
            metadata: {name: windows}
            spec:
              sources:
                - name: events
                  kafka: {bootstrapServers: BROKERS, topics: [EVENTS], startingOffsets: earliest,
                          maxOffsetsPerTrigger: 300}
                  schema: [{name: ts, type: timestamp}, {name: country, type: string}]
                  watermark: {column: ts, delay: 5s}
              query: >-
                SELECT window_start, country, COUNT(*) AS c
                FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '30' SECOND))
                GROUP BY window_start, window_end, country
              sinks:
                - name: out
                  kafka: {bootstrapServers: BROKERS, topic: WINDOWS}
              outputMode: append
              trigger: {availableNow: {}}
              state: {store: STORE}
            """
                .replace("EVENTS", events)
                .replace("WINDOWS", windows)
                .replace("STORE", store));
    int[] produced = {0};
    SigkillLoop.Result result =
        SigkillLoop.run(
            dir,
            query,
            20,
            KAFKA_START,
            () -> {
              broker.produce(events, TestEvents.events(produced[0], produced[0] + 6_000));
              produced[0] += 6_000;
            });

    Map<String, Long> emitted = new HashMap<>();
    List<String> twice = new ArrayList<>();
    for (ConsumerRecord<String, String> record : broker.readCommitted(windows)) {
      JsonNode row = JSON.readTree(record.value());
      long start = Instant.parse(row.get("window_start").asText()).toEpochMilli();
      String key = start + "/" + row.get("country").asText();
      if (emitted.put(key, row.get("c").asLong()) != null) {
        twice.add(key);
      }
    }
    // one uninterrupted run: every window ending at or before the final watermark, complete
    long watermark = (produced[0] - 1) * 10L - 5_000;
    Map<String, Long> expected = new HashMap<>();
    for (long start = 0; start + 30_000 <= watermark; start += 30_000) {
      for (String country : TestEvents.COUNTRIES) {
        expected.put(start + "/" + country, 1_000L);
      }
    }
    System.out.printf(
        "Kafka→window→Kafka crash test (%s store): %d SIGKILLs, %d mid-batch, %d records, %d"
            + " windows%n",
        store, result.kills(), result.midBatch(), produced[0], emitted.size());
    assertThat(result.kills()).isGreaterThanOrEqualTo(20);
    assertThat(result.midBatch()).isGreaterThanOrEqualTo(3);
    assertThat(twice).as("windows emitted twice").isEmpty();
    assertThat(emitted).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void kafkaAggregatePostgresUpsertEndsWithTheExactTotalsAcrossTwentySigkills(String store)
      throws Exception {
    String topic = "orders-" + store;
    broker.createTopic(topic, 2);
    try (PostgresServer db = PostgresServer.start(dir.resolve("pg"))) {
      db.execute(
          "CREATE TABLE totals (country text PRIMARY KEY, orders bigint NOT NULL, n bigint NOT NULL)");
      Path secrets = PostgresServer.writeSecret(dir);
      Path query =
          query(
              """
              apiVersion: streamloop.dev/v1alpha1
              kind: StreamingQuery
              metadata: {name: totals}
              spec:
                sources:
                  - name: orders
                    kafka: {bootstrapServers: BROKERS, topics: [ORDERS], startingOffsets: earliest,
                            maxOffsetsPerTrigger: 50}
                    schema: [{name: country, type: string}, {name: n, type: long}]
                query: SELECT country, COUNT(*) AS orders, SUM(n) AS n FROM orders GROUP BY country
                sinks:
                  - name: out
                    jdbc: {url: "URL", table: totals, keyColumns: [country],
                           credentials: {secretName: db}, sslMode: disable}
                outputMode: update
                trigger: {availableNow: {}}
                state: {store: STORE}
              """
                  .replace("URL", db.url())
                  .replace("ORDERS", topic)
                  .replace("STORE", store));
      int[] produced = {0};
      SigkillLoop.Result result =
          SigkillLoop.run(
              dir,
              query,
              20,
              KAFKA_START,
              () -> {
                broker.produce(topic, TestEvents.events(produced[0], produced[0] + 2_000));
                produced[0] += 2_000;
              },
              "--secrets-dir",
              secrets.toString());

      Map<String, String> expected = new TreeMap<>();
      for (String country : TestEvents.COUNTRIES) {
        long orders = 0;
        long n = 0;
        for (int id = 0; id < produced[0]; id++) {
          if (TestEvents.COUNTRIES[id % 3].equals(country)) {
            orders++;
            n += id % 7;
          }
        }
        expected.put(country, orders + "/" + n);
      }
      Map<String, String> table = new TreeMap<>();
      long recordedBatch;
      try (Connection c = db.connect()) {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM totals")) {
          while (rs.next()) {
            table.put(rs.getString("country"), rs.getLong("orders") + "/" + rs.getLong("n"));
          }
        }
        try (ResultSet rs =
            c.createStatement().executeQuery("SELECT batch_id FROM streamloop_sink_batches")) {
          rs.next();
          recordedBatch = rs.getLong(1);
        }
      }
      long lastCommitted =
          Files.list(dir.resolve("cp/commits"))
              .map(p -> p.getFileName().toString())
              .filter(name -> name.matches("\\d+"))
              .mapToLong(Long::parseLong)
              .max()
              .orElseThrow();
      System.out.printf(
          "Kafka→aggregate→PostgreSQL crash test (%s store): %d SIGKILLs, %d mid-batch, %d"
              + " records, last batch %d%n",
          store, result.kills(), result.midBatch(), produced[0], lastCommitted);
      assertThat(result.kills()).isGreaterThanOrEqualTo(20);
      assertThat(result.midBatch()).isGreaterThanOrEqualTo(3);
      assertThat(table).isEqualTo(expected);
      assertThat(recordedBatch).isEqualTo(lastCommitted);
    }
  }
}
