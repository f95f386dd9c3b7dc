package dev.streamloop.engine.source.kafka;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The records a fetch returned beyond a batch's end, kept for the batch that starts there. A fetch
 * returns up to a poll's worth of records; without this, each small batch would seek back and fetch
 * them again, one round trip to the broker per partition and batch (Spark's Kafka consumer cache
 * keeps its fetched data for the same reason). Records at an offset never change, so a kept record
 * is the record a new fetch would return. Kept records are bounded by {@value #MAX_BYTES} bytes in
 * all: beyond that, a partition's are dropped and fetched again.
 */
final class FetchedAhead {
  static final long MAX_BYTES = 8L << 20;

  /**
   * The visible records of a partition between two offsets (every one, in order), and their size.
   */
  private record Segment(
      long from, long until, Deque<ConsumerRecord<byte[], byte[]>> records, long bytes) {}

  private final Map<TopicPartition, Segment> segments = new HashMap<>();
  private long bytes;

  /**
   * Moves the kept records of {@code tp} in [start, end) to {@code into}, and returns the offset
   * where reading the partition must go on: at least {@code end} when the kept records covered the
   * whole range, {@code start} when none were kept from there.
   */
  long take(
      TopicPartition tp, long start, long end, Collection<ConsumerRecord<byte[], byte[]>> into) {
    Segment segment = segments.remove(tp);
    if (segment == null) {
      return start;
    }
    bytes -= segment.bytes();
    if (segment.from() != start) {
      return start;
    }
    Deque<ConsumerRecord<byte[], byte[]>> records = segment.records();
    long taken = 0;
    while (!records.isEmpty() && records.peekFirst().offset() < end) {
      ConsumerRecord<byte[], byte[]> record = records.pollFirst();
      taken += size(record);
      into.add(record);
    }
    if (end < segment.until()) {
      segments.put(tp, new Segment(end, segment.until(), records, segment.bytes() - taken));
      bytes += segment.bytes() - taken;
      return end;
    }
    return segment.until();
  }

  /**
   * Keeps {@code records}: every visible record of {@code tp} in [from, until), in order. Dropped
   * when the bound would be passed.
   */
  void keep(
      TopicPartition tp,
      long from,
      long until,
      Collection<ConsumerRecord<byte[], byte[]>> records) {
    long size = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      size += size(record);
    }
    if (until <= from || bytes + size > MAX_BYTES) {
      return;
    }
    Segment previous = segments.put(tp, new Segment(from, until, new ArrayDeque<>(records), size));
    if (previous != null) {
      bytes -= previous.bytes();
    }
    bytes += size;
  }

  /**
   * The timestamp of the first kept record of {@code tp} at or after {@code offset}, null when no
   * kept record is.
   */
  Long timestampAt(TopicPartition tp, long offset) {
    Segment segment = segments.get(tp);
    if (segment == null || offset < segment.from() || offset >= segment.until()) {
      return null;
    }
    for (ConsumerRecord<byte[], byte[]> record : segment.records()) {
      if (record.offset() >= offset) {
        return record.timestamp();
      }
    }
    return null;
  }

  /** The bytes kept in all (keys and values). */
  long bytes() {
    return bytes;
  }

  private static long size(ConsumerRecord<byte[], byte[]> record) {
    return Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
  }
}
