package dev.streamloop.engine.sink.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How the Kafka sink knows which batch last committed: each batch's transaction also commits, for a
 * consumer group of the sink's own, the offset {@code batchId} on partition 0 of every topic it
 * wrote. The offsets commit if and only if the records do, so after a crash the group's highest
 * offset is the last batch whose records are visible. Nobody consumes with that group; it only
 * holds these markers.
 */
final class BatchMarkers {
  private BatchMarkers() {}

  /** The markers batch {@code batchId}'s transaction commits. */
  static Map<TopicPartition, OffsetAndMetadata> of(Set<String> topics, long batchId) {
    Map<TopicPartition, OffsetAndMetadata> markers = new HashMap<>();
    for (String topic : topics) {
      markers.put(
          new TopicPartition(topic, 0),
          new OffsetAndMetadata(batchId, "streamloop batch " + batchId));
    }
    return markers;
  }

  /**
   * The last batch committed for {@code groupId}, or -1. Waits for pending transactional offsets
   * (requireStable), so a transaction still being completed is counted once it is decided.
   */
  static long lastCommitted(Admin admin, String groupId, long timeoutMs)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(
                groupId, new ListConsumerGroupOffsetsOptions().requireStable(true))
            .partitionsToOffsetAndMetadata()
            .get(timeoutMs, TimeUnit.MILLISECONDS);
    long last = -1;
    for (OffsetAndMetadata marker : offsets.values()) {
      if (marker != null) {
        last = Math.max(last, marker.offset());
      }
    }
    return last;
  }
}
