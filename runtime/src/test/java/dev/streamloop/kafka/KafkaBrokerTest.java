package dev.streamloop.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The in-process KRaft broker the Kafka tests run against: it starts, takes and gives records. */
class KafkaBrokerTest {
  @Test
  void aKraftBrokerStartsInProcessAndCarriesRecords() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start()) {
      broker.createTopic("t", 1);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", broker.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", "k", "v")).get();
      }
      // as the Kafka source will read: assigned partitions, offsets of its own, no consumer group
      // (a group.id alone costs 30 s here: the consumer waits for a group coordinator)
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(
              Map.of("bootstrap.servers", broker.bootstrapServers()),
              new StringDeserializer(),
              new StringDeserializer())) {
        TopicPartition partition = new TopicPartition("t", 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        ConsumerRecords<String, String> records =
            Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> consumer.poll(Duration.ofMillis(200)), r -> !r.isEmpty());
        assertThat(records.iterator().next().value()).isEqualTo("v");
      }
    }
  }

  @Test
  void aRestartedBrokerComesBackOnItsPortWithItsRecords() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start()) {
      broker.createTopic("kept", 1);
      broker.produce("kept", List.of("before"));
      String servers = broker.bootstrapServers();
      broker.restartBroker(() -> {});
      assertThat(broker.bootstrapServers()).isEqualTo(servers);
      broker.produce("kept", List.of("after"));
      assertThat(broker.readCommitted("kept"))
          .extracting(r -> r.value())
          .containsExactly("before", "after");
    }
  }
}
