package dev.streamloop.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka benchmark's helpers (bench/run-kafka-bench.sh), run from the test classpath:
 *
 * <pre>
 *   broker FILE                         start a broker, write its bootstrap servers to FILE, run
 *   load SERVERS TOPIC PARTITIONS DIR   create TOPIC and send every line of DIR's files
 *   verify SERVERS TOPIC                read_committed: count records and sum their cents
 *   create SERVERS TOPIC PARTITIONS     create an empty topic
 * </pre>
 */
public final class KafkaBench {
  private KafkaBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "broker" -> broker(Path.of(args[1]));
      case "load" -> load(args[1], args[2], Integer.parseInt(args[3]), Path.of(args[4]));
      case "verify" -> verify(args[1], args[2]);
      case "create" -> {
        try (KafkaBroker.AdminOnly admin = new KafkaBroker.AdminOnly(args[1])) {
          admin.createTopic(args[2], Integer.parseInt(args[3]));
        }
      }
      default -> throw new IllegalArgumentException("broker, load or verify: " + args[0]);
    }
  }

  private static void broker(Path file) throws Exception {
    KafkaBroker broker = KafkaBroker.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    broker.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  stopped.countDown();
                }));
    Files.writeString(file, broker.bootstrapServers());
    stopped.await();
  }

  private static void load(String servers, String topic, int partitions, Path dir)
      throws Exception {
    try (KafkaBroker.AdminOnly admin = new KafkaBroker.AdminOnly(servers)) {
      admin.createTopic(topic, partitions);
    }
    long start = System.nanoTime();
    long count = 0;
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of(
                    "bootstrap.servers",
                    servers,
                    "linger.ms",
                    20,
                    "batch.size",
                    1 << 20,
                    "acks",
                    "1"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            producer.send(
                new ProducerRecord<>(
                    topic,
                    (int) (count++ % partitions),
                    null,
                    line.getBytes(StandardCharsets.UTF_8)));
          }
        }
      }
      producer.flush();
    }
    System.out.printf(
        "loaded %d records into %s (%d partitions) in %d ms%n",
        count, topic, partitions, (System.nanoTime() - start) / 1_000_000);
  }

  private static void verify(String servers, String topic) throws Exception {
    ObjectMapper json = new ObjectMapper();
    long count = 0;
    long cents = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                servers,
                "isolation.level",
                "read_committed",
                "max.poll.records",
                10_000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          JsonNode row = json.readTree(record.value());
          count++;
          cents += row.get("cents").asLong();
        }
      }
    }
    System.out.printf("verified %s: %d records, sum(cents) %d%n", topic, count, cents);
  }
}
