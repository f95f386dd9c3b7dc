package dev.streamloop.engine.source.kafka;

import dev.streamloop.engine.SourceLag;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka source's lag after a plan: the records between the planned end and the newest offsets,
 * and when the oldest of them was written. That record's timestamp is known when a fetch brought it
 * ahead of the batch (see {@link FetchedAhead}); otherwise the time this runner first saw its
 * partition behind stands in for it, which can only understate the age (a restart resets it).
 * Asking the brokers for the record instead would cost a fetch per partition and batch.
 */
final class KafkaLag {
  private final Map<TopicPartition, Long> behindSince = new HashMap<>();

  /** {@code end}: where the next batch starts; {@code now}: the plan's time. */
  SourceLag measure(
      Map<TopicPartition, Long> end,
      Map<TopicPartition, Long> latest,
      FetchedAhead ahead,
      long now) {
    long records = 0;
    Long oldest = null;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      TopicPartition tp = e.getKey();
      long behind = Math.max(0, latest.getOrDefault(tp, e.getValue()) - e.getValue());
      if (behind == 0) {
        behindSince.remove(tp);
        continue;
      }
      records += behind;
      long since = behindSince.computeIfAbsent(tp, k -> now);
      Long written = ahead.timestampAt(tp, e.getValue());
      long time = written != null && written > 0 ? written : since;
      oldest = oldest == null ? time : Math.min(oldest, time);
    }
    behindSince.keySet().retainAll(end.keySet());
    return SourceLag.ofRecords(records, oldest);
  }
}
