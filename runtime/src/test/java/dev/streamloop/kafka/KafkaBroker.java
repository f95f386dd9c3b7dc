package dev.streamloop.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.awaitility.Awaitility;

/**
 * A real Kafka broker for tests: one combined broker and controller in KRaft mode, in this JVM
 * (Kafka's own KafkaClusterTestKit), on a loopback port. Starts in about 2 s.
 */
public final class KafkaBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  public static KafkaBroker start() throws Exception {
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            // one broker: the internal topics of transactions and groups have one replica each
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new KafkaBroker(cluster);
  }

  /**
   * Stops the broker (the controller stays up) and starts it again on the same port and log
   * directories, as a restarted broker comes back.
   */
  public void restartBroker(Runnable whileDown) throws Exception {
    var broker = cluster.brokers().values().iterator().next();
    broker.shutdown();
    broker.awaitShutdown();
    whileDown.run();
    broker.startup();
    cluster.waitForReadyBrokers();
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }
  }

  /**
   * Deletes the records of partition 0 of {@code topic} below {@code offset}, as retention does.
   */
  void deleteRecordsBefore(String topic, long offset) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin
          .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(offset)))
          .all()
          .get();
    }
  }

  /**
   * Every record of {@code topic} a read_committed consumer sees, partition after partition, up to
   * the last stable offset: what a downstream consumer of an exactly-once sink gets.
   */
  public List<ConsumerRecord<String, String>> readCommitted(String topic) throws Exception {
    Map<String, Object> config =
        Map.of("bootstrap.servers", bootstrapServers(), "isolation.level", "read_committed");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .sorted(Comparator.comparingInt(TopicPartition::partition))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Map<TopicPartition, Long> ends = settledEnds(consumer, partitions);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("reading " + topic + " did not reach " + ends + " in 60 s");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      records.sort(
          Comparator.<ConsumerRecord<String, String>>comparingInt(ConsumerRecord::partition)
              .thenComparingLong(ConsumerRecord::offset));
      return records;
    }
  }

  /**
   * The partitions' ends for {@code committed} (read_committed) once every transaction is decided:
   * a commit returns before the broker writes its markers, so the last stable offset catches up
   * with the high watermark a little later.
   */
  private Map<TopicPartition, Long> settledEnds(
      KafkaConsumer<String, String> committed, List<TopicPartition> partitions) {
    Map<String, Object> uncommitted = Map.of("bootstrap.servers", bootstrapServers());
    try (KafkaConsumer<String, String> all =
        new KafkaConsumer<>(uncommitted, new StringDeserializer(), new StringDeserializer())) {
      return Awaitility.await("every transaction on " + partitions + " decided")
          .atMost(Duration.ofSeconds(60))
          .pollInSameThread() // the consumers are not thread-safe
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> committed.endOffsets(partitions, Duration.ofSeconds(30)),
              stable -> stable.equals(all.endOffsets(partitions, Duration.ofSeconds(30))));
    }
  }

  /** Sends {@code values} to {@code topic} (no key), and waits until they are written. */
  public void produce(String topic, List<String> values) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrapServers(), "linger.ms", 5),
            new StringSerializer(),
            new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value));
      }
      producer.flush();
    }
  }

  /** Topic administration against any broker, for the benchmark's helpers. */
  static final class AdminOnly implements AutoCloseable {
    private final Admin admin;

    AdminOnly(String servers) {
      admin = Admin.create(Map.of("bootstrap.servers", servers));
    }

    void createTopic(String name, int partitions) throws Exception {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }

    @Override
    public void close() {
      admin.close();
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
