package dev.streamloop.engine.source.kafka;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.AbstractIterator;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.PositionedRows;
import dev.streamloop.engine.UnavailableException;
import dev.streamloop.engine.kafka.KafkaErrors;
import dev.streamloop.engine.source.BadRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of a batch, partition after partition, from each start offset up to (not including)
 * its end offset: the same rows every time the batch is read. Raw sources give Spark's columns (key
 * and value as UTF-8 strings here, headers as a JSON object); json and csv sources decode the value
 * with the schema, bad values following the query's policy.
 */
final class KafkaRows extends AbstractIterator<Object[]> implements PositionedRows {
  /** The columns of a raw Kafka source. */
  static final List<Column> RAW_COLUMNS =
      List.of(
          new Column("key", ColumnKind.STRING),
          new Column("value", ColumnKind.STRING),
          new Column("topic", ColumnKind.STRING),
          new Column("partition", ColumnKind.INT),
          new Column("offset", ColumnKind.LONG),
          new Column("timestamp", ColumnKind.TIMESTAMP),
          new Column("headers", ColumnKind.STRING));

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRows.class);

  /** How long a partition may give nothing before the read fails (the broker is gone). */
  private static final Duration STALL = Duration.ofSeconds(60);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, Long> to;
  private final KafkaSource.Settings settings;
  private final BadRecords badRecords;
  private final long batchId;
  private final Deque<TopicPartition> partitions = new ArrayDeque<>();
  private final Deque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();
  private final Map<TopicPartition, Long> starts = new java.util.HashMap<>();
  private final FetchedAhead ahead;
  private TopicPartition current;
  private String position;

  KafkaRows(
      KafkaConsumer<byte[], byte[]> consumer,
      Map<TopicPartition, Long> from,
      Map<TopicPartition, Long> to,
      KafkaSource.Settings settings,
      BadRecords badRecords,
      FetchedAhead ahead,
      long batchId) {
    this.consumer = consumer;
    this.ahead = ahead;
    this.to = to;
    this.settings = settings;
    this.badRecords = badRecords;
    this.batchId = batchId;
    List<TopicPartition> fresh = new ArrayList<>();
    to.forEach(
        (tp, end) -> {
          if (!from.containsKey(tp)) {
            fresh.add(tp);
          }
        });
    Map<TopicPartition, Long> beginning =
        fresh.isEmpty() ? Map.of() : consumer.beginningOffsets(fresh, Duration.ofSeconds(30));
    to.forEach(
        (tp, end) -> {
          long start = from.containsKey(tp) ? from.get(tp) : beginning.getOrDefault(tp, 0L);
          if (end > start) {
            partitions.add(tp);
            starts.put(tp, start);
          }
        });
  }

  @Override
  protected Object[] computeNext() {
    while (true) {
      if (buffered.isEmpty() && !fillOrUnavailable()) {
        badRecords.finishBatch(batchId);
        return endOfData();
      }
      Object[] row = row(buffered.poll());
      if (row != null) {
        return row;
      }
    }
  }

  /**
   * Fills the buffer with the next records: the ones kept from the last batch's fetch first, then
   * polled. False when every partition is done.
   */
  private boolean fill() {
    while (true) {
      if (current == null) {
        current = partitions.poll();
        if (current == null) {
          return false;
        }
        long next = ahead.take(current, starts.get(current), to.get(current), buffered);
        if (next >= to.get(current)) {
          current = null;
        } else {
          positionAt(current, next);
        }
        if (!buffered.isEmpty()) {
          return true;
        }
        continue;
      }
      long end = to.get(current);
      if (consumer.position(current) >= end) {
        current = null;
        continue;
      }
      poll(end);
      if (!buffered.isEmpty()) {
        return true;
      }
    }
  }

  /**
   * Reads from the consumer only {@code tp}, from {@code offset}. It keeps what it has fetched
   * beyond when it is already there, as after a batch that ended where this one starts.
   */
  private void positionAt(TopicPartition tp, long offset) {
    if (!consumer.assignment().equals(Set.of(tp))) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
    } else if (consumer.position(tp) != offset) {
      consumer.seek(tp, offset);
    }
  }

  /** Polls the current partition until it gives records or passes {@code end}. */
  private void poll(long end) {
    long deadline = System.nanoTime() + STALL.toNanos();
    List<ConsumerRecord<byte[], byte[]>> beyond = new ArrayList<>();
    while (buffered.isEmpty() && consumer.position(current) < end) {
      ConsumerRecords<byte[], byte[]> records;
      try {
        records = consumer.poll(Duration.ofMillis(200));
      } catch (OffsetOutOfRangeException e) {
        skipDeleted(end);
        continue;
      }
      for (ConsumerRecord<byte[], byte[]> record : records) {
        (record.offset() < end ? buffered : beyond).add(record);
      }
      if (buffered.isEmpty() && System.nanoTime() > deadline) {
        throw stalled(end);
      }
    }
    long position = consumer.position(current);
    if (position > end) {
      ahead.keep(current, end, position, beyond);
    }
  }

  /**
   * The batch's offsets of the current partition start below its earliest: retention deleted them
   * before they were read. As Spark: the query fails (failOnDataLoss), or they are skipped.
   */
  private void skipDeleted(long end) {
    long position = consumer.position(current);
    long earliest = consumer.beginningOffsets(List.of(current), STALL).getOrDefault(current, 0L);
    String lost =
        earliest > position
            ? "offsets "
                + position
                + " to "
                + (Math.min(earliest, end) - 1)
                + " of "
                + current
                + " were deleted (retention) before this query read them"
            : "offset "
                + position
                + " of "
                + current
                + " is beyond the partition's latest (was the topic deleted and created again?)";
    if (settings.failOnDataLoss()) {
      throw new IllegalStateException(
          "Kafka source "
              + settings.name()
              + ": "
              + lost
              + "; set failOnDataLoss: false to skip them, or reset the checkpoint");
    }
    LOG.warn("Kafka source {}: {}: skipped (failOnDataLoss false)", settings.name(), lost);
    consumer.seek(current, earliest > position ? earliest : end);
  }

  private UnavailableException stalled(long end) {
    return new UnavailableException(
        "Kafka source "
            + settings.name()
            + ": no records from "
            + current
            + " at offset "
            + consumer.position(current)
            + " for "
            + STALL.toSeconds()
            + " s, though the batch reads up to "
            + end
            + "; is the broker reachable ("
            + settings.bootstrapServers()
            + ")?",
        null);
  }

  @Override
  public String position() {
    return position;
  }

  private Object[] row(ConsumerRecord<byte[], byte[]> record) {
    position = record.topic() + "-" + record.partition() + " offset " + record.offset();
    if (settings.parser() == null) {
      return new Object[] {
        text(record.key()),
        text(record.value()),
        record.topic(),
        record.partition(),
        record.offset(),
        record.timestamp(),
        headers(record)
      };
    }
    byte[] value = record.value() == null ? new byte[0] : record.value();
    try {
      return settings.parser().parse(value, 0, value.length);
    } catch (IllegalArgumentException e) {
      badRecords.handle(position, e.getMessage(), new String(value, StandardCharsets.UTF_8));
      return null; // dropped or dead-lettered: hasNext moves on
    }
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static String headers(ConsumerRecord<byte[], byte[]> record) {
    ObjectNode headers = JsonNodeFactory.instance.objectNode();
    for (Header header : record.headers()) {
      headers.put(header.key(), text(header.value()));
    }
    return headers.toString();
  }

  private boolean fillOrUnavailable() {
    try {
      return fill();
    } catch (UnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw KafkaErrors.classify("Kafka source " + settings.name() + ": brokers unavailable", e);
    }
  }
}
