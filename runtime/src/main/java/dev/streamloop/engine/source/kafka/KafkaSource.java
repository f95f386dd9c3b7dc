package dev.streamloop.engine.source.kafka;

import dev.streamloop.engine.Clock;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.Share;
import dev.streamloop.engine.Source;
import dev.streamloop.engine.SourceLag;
import dev.streamloop.engine.checkpoint.MetadataLog;
import dev.streamloop.engine.kafka.KafkaErrors;
import dev.streamloop.engine.source.BadRecords;
import dev.streamloop.engine.source.RecordParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads Kafka topics as Spark's Kafka source: the offset is the next offset to read per partition
 * ({@link KafkaOffsets}), kept in the checkpoint and never committed to a consumer group; the
 * initial offsets (startingOffsets) are fixed in the source's log the first time, so "latest" means
 * the latest when the query first started; partitions that appear later start at their earliest;
 * maxOffsetsPerTrigger is split by backlog; available-now pins the end offsets at start. It reads
 * committed records only (read_committed), so a transactional producer's aborted records never
 * appear.
 */
public final class KafkaSource implements Source {
  /** A raw source's columns: key, value, topic, partition, offset, timestamp, headers. */
  public static final List<Column> RAW_COLUMNS = KafkaRows.RAW_COLUMNS;

  /**
   * The source's settings.
   *
   * @param name The SQL table name.
   * @param columns The row's columns (raw: {@link KafkaRows#RAW_COLUMNS}).
   * @param bootstrapServers The brokers.
   * @param topics The topics, or null with a pattern.
   * @param topicPattern A regular expression of topics, or null.
   * @param startingOffsets earliest, latest, or offsets JSON (-2 earliest, -1 latest).
   * @param maxOffsetsPerTrigger The most records per batch, or null.
   * @param minOffsetsPerTrigger The fewest new records that start a batch, or null.
   * @param maxTriggerDelayMs How long a batch waits for minOffsetsPerTrigger records.
   * @param failOnDataLoss Fail when offsets to read were deleted; else skip them.
   * @param parser Decodes values (json, csv); null for raw.
   * @param clientProperties More consumer settings (security).
   * @param share The partitions this runner reads when several share the query.
   */
  public record Settings(
      String name,
      List<Column> columns,
      String bootstrapServers,
      List<String> topics,
      String topicPattern,
      String startingOffsets,
      Long maxOffsetsPerTrigger,
      Long minOffsetsPerTrigger,
      long maxTriggerDelayMs,
      boolean failOnDataLoss,
      RecordParser parser,
      Map<String, Object> clientProperties,
      Share share) {}

  /** How long a metadata call waits for the brokers before the batch is retried (and reported). */
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

  private static final long PARTITIONS_REFRESH_MS = 5_000;

  private final Settings settings;
  private Set<TopicPartition> knownPartitions;
  private long partitionsListedMs;
  private final BadRecords badRecords;
  private final MetadataLog log;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Map<TopicPartition, Long> pinned;
  private Map<TopicPartition, Long> latest = Map.of();
  private Map<TopicPartition, Long> lastEnd = Map.of();
  private final Clock clock;
  private final FetchedAhead ahead = new FetchedAhead();
  private final KafkaLag lagMeter = new KafkaLag();
  private SourceLag lag;

  /** When the last batch was planned; 0 so that the first trigger always runs, as in Spark. */
  private long lastTriggerMs;

  public KafkaSource(Settings settings, BadRecords badRecords, MetadataLog log) {
    this(settings, badRecords, log, Clock.SYSTEM);
  }

  public KafkaSource(Settings settings, BadRecords badRecords, MetadataLog log, Clock clock) {
    this.clock = clock;
    this.settings = settings;
    this.badRecords = badRecords;
    this.log = log;
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public List<Column> columns() {
    return settings.columns();
  }

  @Override
  public String description() {
    return "KafkaV2["
        + (settings.topics() != null
            ? "Subscribe" + settings.topics()
            : "SubscribePattern[" + settings.topicPattern() + "]")
        + "]";
  }

  KafkaConsumer<byte[], byte[]> consumer() {
    if (consumer == null) {
      Map<String, Object> config = new HashMap<>(settings.clientProperties());
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      // a batch's offsets below the earliest (deleted by retention) must fail the poll, so that
      // the batch fails or skips them as failOnDataLoss says, and the read can tell which
      config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
      config.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamloop-" + settings.name());
      // A batch reads up to its end offset; the fetch the consumer has sent beyond it waits at
      // the log end for fetch.max.wait.ms, and the broker answers the next batch's offset
      // requests on that connection only after it: 500 ms (the default) per small batch.
      config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
      consumer =
          KafkaErrors.create(
              label(),
              () ->
                  new KafkaConsumer<>(
                      config, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }
    return consumer;
  }

  /**
   * The partitions of the source's topics, listed again at most every {@value
   * #PARTITIONS_REFRESH_MS} ms: a listing costs a metadata request of every topic, which small
   * batches pay for, while new partitions are found a few seconds later at most.
   */
  Set<TopicPartition> partitions() {
    long now = clock.millis();
    if (knownPartitions == null || now - partitionsListedMs >= PARTITIONS_REFRESH_MS) {
      knownPartitions = listPartitions();
      partitionsListedMs = now;
    }
    return knownPartitions;
  }

  private Set<TopicPartition> listPartitions() {
    Set<TopicPartition> partitions = new TreeSet<>(KafkaOffsets.ORDER);
    Map<String, List<PartitionInfo>> topics = consumer().listTopics(METADATA_TIMEOUT);
    Pattern pattern =
        settings.topicPattern() == null ? null : Pattern.compile(settings.topicPattern());
    topics.forEach(
        (topic, infos) -> {
          boolean wanted =
              settings.topics() != null
                  ? settings.topics().contains(topic)
                  : pattern.matcher(topic).matches();
          if (wanted) {
            infos.stream()
                .filter(i -> settings.share().owns(topic + "/" + i.partition()))
                .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
          }
        });
    return partitions;
  }

  @Override
  public void pinForAvailableNow() {
    try {
      pinned = consumer().endOffsets(partitions(), METADATA_TIMEOUT);
    } catch (RuntimeException e) {
      throw KafkaErrors.classify(label() + ": brokers unavailable", e);
    }
  }

  @Override
  public boolean takeFailedRow(String position, String reason, String record) {
    return badRecords.takeFailedRow(position, reason, record);
  }

  /** The source and its brokers, for messages. */
  private String label() {
    return "Kafka source "
        + settings.name()
        + " (bootstrap servers "
        + settings.bootstrapServers()
        + ")";
  }

  /**
   * Each partition's earliest offset, or for a time its first offset at or after it (Kafka's
   * offsets for times; the end of a partition with nothing that late).
   */
  @Override
  public String rewindOffset(Long timestampMs) {
    Set<TopicPartition> partitions = partitions();
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    if (timestampMs == null) {
      offsets.putAll(consumer().beginningOffsets(partitions, METADATA_TIMEOUT));
    } else {
      Map<TopicPartition, Long> query = new LinkedHashMap<>();
      partitions.forEach(tp -> query.put(tp, timestampMs));
      var found = consumer().offsetsForTimes(query, METADATA_TIMEOUT);
      Map<TopicPartition, Long> ends = consumer().endOffsets(partitions, METADATA_TIMEOUT);
      for (TopicPartition tp : partitions) {
        var at = found.get(tp);
        offsets.put(tp, at != null ? at.offset() : ends.get(tp));
      }
    }
    return KafkaOffsets.toJson(offsets);
  }

  @Override
  public String planBatch(long batchId, String start) {
    try {
      return plan(start);
    } catch (RuntimeException e) {
      throw KafkaErrors.classify(label() + ": brokers unavailable", e);
    }
  }

  private String plan(String start) {
    Set<TopicPartition> partitions = partitions();
    Map<TopicPartition, Long> from = startOffsets(start, partitions);
    // available-now reads up to the offsets pinned at its start and measures how far behind a
    // batch is against them, as Spark does: no request for the newest offsets per batch
    latest = pinned != null ? pinned : consumer().endOffsets(partitions, METADATA_TIMEOUT);
    Map<TopicPartition, Long> end = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) {
      Long bound = latest.get(tp);
      end.put(tp, bound == null ? from.get(tp) : Math.max(from.get(tp), bound));
    }
    if (settings.maxOffsetsPerTrigger() != null) {
      end = KafkaOffsets.limit(from, end, settings.maxOffsetsPerTrigger());
    }
    if (waitsForMoreRecords(from, end)) {
      lag = lagMeter.measure(from, latest, ahead, clock.millis());
      return start;
    }
    lag = lagMeter.measure(end, latest, ahead, clock.millis());
    lastEnd = end;
    if (end.equals(from)) {
      return start; // no new records (null before the first batch: the initial offsets are kept)
    }
    return KafkaOffsets.toJson(end);
  }

  /**
   * Where the next batch starts: the previous end, with new partitions at their earliest. Offsets
   * that retention deleted are found when the batch reads them (see {@link KafkaRows}), as in
   * Spark, so that a batch does not ask the brokers for every partition's earliest offset.
   */
  private Map<TopicPartition, Long> startOffsets(String start, Set<TopicPartition> partitions) {
    Map<TopicPartition, Long> from =
        new LinkedHashMap<>(start == null ? initialOffsets(partitions) : KafkaOffsets.parse(start));
    List<TopicPartition> fresh = partitions.stream().filter(tp -> !from.containsKey(tp)).toList();
    if (!fresh.isEmpty()) {
      from.putAll(consumer().beginningOffsets(fresh, METADATA_TIMEOUT));
    }
    return from;
  }

  /** startingOffsets, resolved once and kept in the source's log so that restarts agree. */
  private Map<TopicPartition, Long> initialOffsets(Set<TopicPartition> partitions) {
    if (log.get(0).isEmpty()) {
      Map<TopicPartition, Long> earliest =
          consumer().beginningOffsets(partitions, METADATA_TIMEOUT);
      Map<TopicPartition, Long> newest = consumer().endOffsets(partitions, METADATA_TIMEOUT);
      String starting = settings.startingOffsets() == null ? "latest" : settings.startingOffsets();
      Map<TopicPartition, Long> initial = new LinkedHashMap<>();
      Map<TopicPartition, Long> given =
          starting.startsWith("{") ? KafkaOffsets.parse(starting) : Map.of();
      for (TopicPartition tp : partitions) {
        long wanted =
            starting.equals("earliest")
                ? KafkaOffsets.EARLIEST
                : starting.equals("latest")
                    ? KafkaOffsets.LATEST
                    : given.getOrDefault(tp, KafkaOffsets.LATEST);
        initial.put(
            tp,
            wanted == KafkaOffsets.EARLIEST
                ? earliest.get(tp)
                : wanted == KafkaOffsets.LATEST ? newest.get(tp) : wanted);
      }
      log.add(0, KafkaOffsets.toJson(initial) + "\n");
    }
    return KafkaOffsets.parse(log.get(0).orElseThrow().strip());
  }

  /**
   * Spark's minOffsetsPerTrigger: too few new records, and maxTriggerDelay has not passed since the
   * last batch. Available-now ignores it: the run must read everything that was there.
   */
  private boolean waitsForMoreRecords(
      Map<TopicPartition, Long> from, Map<TopicPartition, Long> end) {
    long now = clock.millis();
    if (settings.minOffsetsPerTrigger() != null && pinned == null) {
      long available = 0;
      for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
        available += e.getValue() - from.getOrDefault(e.getKey(), e.getValue());
      }
      if (available < settings.minOffsetsPerTrigger()
          && now - lastTriggerMs < settings.maxTriggerDelayMs()) {
        return true;
      }
    }
    lastTriggerMs = now;
    return false;
  }

  @Override
  public String latestOffset() {
    return latest.isEmpty() ? null : KafkaOffsets.toJson(latest);
  }

  @Override
  public SourceLag lag() {
    return lag;
  }

  @Override
  public Map<String, String> metrics() {
    // Spark's metrics of the Kafka source: how far the batch's end is behind the newest offsets
    List<Long> behind = new ArrayList<>();
    lastEnd.forEach((tp, end) -> behind.add(Math.max(0, latest.getOrDefault(tp, end) - end)));
    Map<String, String> metrics = new LinkedHashMap<>();
    if (!behind.isEmpty()) {
      metrics.put(
          "minOffsetsBehindLatest",
          Long.toString(behind.stream().mapToLong(Long::longValue).min().orElse(0)));
      metrics.put(
          "maxOffsetsBehindLatest",
          Long.toString(behind.stream().mapToLong(Long::longValue).max().orElse(0)));
      metrics.put(
          "avgOffsetsBehindLatest",
          Double.toString(behind.stream().mapToLong(Long::longValue).average().orElse(0)));
    }
    if (settings.parser() != null) {
      metrics.put("numBadRecords", Long.toString(badRecords.count()));
    }
    return metrics;
  }

  @Override
  public Iterator<Object[]> read(long batchId, String start, String end) {
    Map<TopicPartition, Long> to = KafkaOffsets.parse(end);
    Map<TopicPartition, Long> from =
        start == null ? initialOffsets(to.keySet()) : KafkaOffsets.parse(start);
    badRecords.reset();
    try {
      return new KafkaRows(consumer(), from, to, settings, badRecords, ahead, batchId);
    } catch (RuntimeException e) {
      throw KafkaErrors.classify(label() + ": brokers unavailable", e);
    }
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close();
    }
  }
}
