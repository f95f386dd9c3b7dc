package dev.streamloop.engine.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka source's offsets as Spark writes them, {"topic":{"0":23,"1":45}} (the next offset to read
 * per partition), and Spark's arithmetic over them: how maxOffsetsPerTrigger is split across
 * partitions in proportion to their backlog.
 */
public final class KafkaOffsets {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** In startingOffsets JSON: the partition's earliest offset. */
  public static final long EARLIEST = -2;

  /** In startingOffsets JSON: the partition's latest offset. */
  public static final long LATEST = -1;

  private KafkaOffsets() {}

  /** Partitions ordered by topic, then number: offsets JSON is stable. */
  static final Comparator<TopicPartition> ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  public static String toJson(Map<TopicPartition, Long> offsets) {
    ObjectNode root = JSON.createObjectNode();
    TreeMap<TopicPartition, Long> sorted = new TreeMap<>(ORDER);
    sorted.putAll(offsets);
    sorted.forEach(
        (tp, offset) -> {
          ObjectNode topic =
              root.has(tp.topic()) ? (ObjectNode) root.get(tp.topic()) : root.putObject(tp.topic());
          topic.put(Integer.toString(tp.partition()), offset);
        });
    return root.toString();
  }

  /** Parses offsets JSON; IllegalArgumentException naming what is wrong. */
  public static Map<TopicPartition, Long> parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not Kafka offsets JSON: " + json, e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "Kafka offsets must be a JSON object such as {\"clicks\":{\"0\":23}}, got " + json);
    }
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    root.fields()
        .forEachRemaining(
            topic -> {
              if (!topic.getValue().isObject()) {
                throw new IllegalArgumentException(
                    "Kafka offsets of topic " + topic.getKey() + " must be an object, got " + json);
              }
              topic
                  .getValue()
                  .fields()
                  .forEachRemaining(
                      partition -> {
                        if (!partition.getKey().matches("[0-9]+")
                            || !partition.getValue().canConvertToLong()) {
                          throw new IllegalArgumentException(
                              "Kafka offsets need partition numbers and offsets, got " + json);
                        }
                        offsets.put(
                            new TopicPartition(
                                topic.getKey(), Integer.parseInt(partition.getKey())),
                            partition.getValue().asLong());
                      });
            });
    return offsets;
  }

  /**
   * Spark's KafkaMicroBatchStream rate limit: {@code limit} records split across partitions in
   * proportion to their backlog (end − start); a partition's share below one record rounds up,
   * above rounds down, and never past its end.
   */
  public static Map<TopicPartition, Long> limit(
      Map<TopicPartition, Long> start, Map<TopicPartition, Long> end, long limit) {
    long total = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      total += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), e.getValue()));
    }
    if (total <= limit) {
      return end;
    }
    Map<TopicPartition, Long> limited = new LinkedHashMap<>();
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      long begin = start.getOrDefault(e.getKey(), e.getValue());
      long size = Math.max(0, e.getValue() - begin);
      double prorate = limit * ((double) size / total);
      long share = (long) (prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate));
      limited.put(e.getKey(), Math.min(e.getValue(), begin + share));
    }
    return limited;
  }
}
