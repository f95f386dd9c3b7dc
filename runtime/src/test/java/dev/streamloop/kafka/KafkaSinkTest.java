package dev.streamloop.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.SinkTargetException;
import dev.streamloop.engine.sink.RowFormat;
import dev.streamloop.engine.sink.kafka.KafkaSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transactional Kafka sink against a real broker: each batch once, whatever happened before.
 */
class KafkaSinkTest {
  private static final List<Column> COLUMNS =
      List.of(new Column("user", ColumnKind.STRING), new Column("n", ColumnKind.LONG));
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  private static KafkaSink sink(String topic, String transactionalId, RowFormat.Kind format) {
    return new KafkaSink(
        new KafkaSink.Settings(
            "out", broker.bootstrapServers(), topic, format, ',', transactionalId, Map.of()));
  }

  private static List<Object[]> rows(String user, int from, int to) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(new Object[] {user, (long) i});
    }
    return rows;
  }

  private static List<String> values(String topic) throws Exception {
    return broker.readCommitted(topic).stream().map(ConsumerRecord::value).toList();
  }

  @Test
  void aBatchThatCommittedIsSkippedByTheNextRunnerAndTheRestFollowOnce() throws Exception {
    broker.createTopic("once", 1);
    try (KafkaSink first = sink("once", "q1-out-0", RowFormat.Kind.JSON)) {
      assertThat(first.addBatch(0, COLUMNS, rows("a", 0, 3))).isEqualTo(3);
      assertThat(first.addBatch(1, COLUMNS, rows("a", 3, 5))).isEqualTo(2);
      // a crash here, before the checkpoint's commits/1: the next runner re-runs batch 1
    }
    try (KafkaSink next = sink("once", "q1-out-0", RowFormat.Kind.JSON)) {
      assertThat(next.addBatch(1, COLUMNS, rows("a", 3, 5))).isZero();
      assertThat(next.addBatch(2, COLUMNS, rows("a", 5, 6))).isEqualTo(1);
    }
    assertThat(values("once"))
        .containsExactly(
            "{\"user\":\"a\",\"n\":0}",
            "{\"user\":\"a\",\"n\":1}",
            "{\"user\":\"a\",\"n\":2}",
            "{\"user\":\"a\",\"n\":3}",
            "{\"user\":\"a\",\"n\":4}",
            "{\"user\":\"a\",\"n\":5}");
  }

  @Test
  void aCheckpointThatLostItsBatchesIsRefusedInsteadOfSkippingThem() throws Exception {
    broker.createTopic("ahead", 1);
    try (KafkaSink first = sink("ahead", "q9-out-0", RowFormat.Kind.JSON)) {
      first.addBatch(0, COLUMNS, rows("a", 0, 1));
      first.addBatch(1, COLUMNS, rows("a", 1, 2));
      first.addBatch(2, COLUMNS, rows("a", 2, 3));
    }
    // the same query (same transactional id) starting over at batch 0
    try (KafkaSink restarted = sink("ahead", "q9-out-0", RowFormat.Kind.JSON)) {
      assertThatThrownBy(() -> restarted.addBatch(0, COLUMNS, rows("b", 0, 1)))
          .isInstanceOf(SinkTargetException.class)
          .hasMessageContaining("committed batches up to 2 of this query")
          .hasMessageContaining("runs batch 0 next");
    }
    assertThat(values("ahead")).hasSize(3);
  }

  @Test
  void theOpenTransactionOfACrashedRunnerIsAbortedAndItsBatchWrittenOnce() throws Exception {
    broker.createTopic("zombie", 1);
    try (KafkaSink first = sink("zombie", "q2-out-0", RowFormat.Kind.CSV)) {
      first.addBatch(0, COLUMNS, rows("a", 0, 1));
    }
    // the crashed runner: batch 1's transaction has begun and sent records, never committed
    KafkaProducer<String, String> crashed =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers(), "transactional.id", "q2-out-0"),
            new StringSerializer(),
            new StringSerializer());
    crashed.initTransactions();
    crashed.beginTransaction();
    crashed.send(new ProducerRecord<>("zombie", "half-written")).get();
    try (KafkaSink next = sink("zombie", "q2-out-0", RowFormat.Kind.CSV)) {
      assertThat(next.addBatch(1, COLUMNS, rows("b", 1, 3))).isEqualTo(2);
    } finally {
      crashed.close();
    }
    assertThat(values("zombie")).containsExactly("a,0", "b,1", "b,2");
  }

  @Test
  void keyTopicPartitionAndHeadersColumnsRouteTheRecordAndStayOutOfItsValue() throws Exception {
    broker.createTopic("left", 2);
    broker.createTopic("right", 1);
    List<Column> columns =
        List.of(
            new Column("key", ColumnKind.STRING),
            new Column("topic", ColumnKind.STRING),
            new Column("partition", ColumnKind.INT),
            new Column("headers", ColumnKind.STRING),
            new Column("n", ColumnKind.LONG));
    try (KafkaSink sink = sink(null, "q3-out-0", RowFormat.Kind.JSON)) {
      sink.addBatch(
          0,
          columns,
          List.of(
              new Object[] {"k1", "left", 1, "{\"source\":\"web\"}", 7L},
              new Object[] {null, "right", null, null, 8L}));
    }
    ConsumerRecord<String, String> left = broker.readCommitted("left").get(0);
    assertThat(left.partition()).isEqualTo(1);
    assertThat(left.key()).isEqualTo("k1");
    assertThat(left.value()).isEqualTo("{\"n\":7}");
    assertThat(new String(left.headers().lastHeader("source").value(), StandardCharsets.UTF_8))
        .isEqualTo("web");
    ConsumerRecord<String, String> right = broker.readCommitted("right").get(0);
    assertThat(right.key()).isNull();
    assertThat(right.value()).isEqualTo("{\"n\":8}");
  }

  @Test
  void rawFormatWritesTheValueColumnAndWithoutATopicTheResultIsRefused() throws Exception {
    broker.createTopic("raw", 1);
    List<Column> columns =
        List.of(new Column("key", ColumnKind.STRING), new Column("value", ColumnKind.STRING));
    try (KafkaSink sink = sink("raw", "q4-out-0", null)) {
      sink.addBatch(0, columns, List.<Object[]>of(new Object[] {"k", "as is"}));
    }
    assertThat(values("raw")).containsExactly("as is");
    assertThat(KafkaSink.problem(COLUMNS, null, RowFormat.Kind.JSON))
        .contains("set kafka.topic, or select a column named topic");
    assertThat(KafkaSink.problem(COLUMNS, "t", null)).contains("select a column named value");
  }
}
