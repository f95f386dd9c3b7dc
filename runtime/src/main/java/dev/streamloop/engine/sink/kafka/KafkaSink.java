package dev.streamloop.engine.sink.kafka;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.Sink;
import dev.streamloop.engine.SinkTargetException;
import dev.streamloop.engine.UnavailableException;
import dev.streamloop.engine.kafka.KafkaErrors;
import dev.streamloop.engine.sink.RowFormat;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch as one Kafka transaction, exactly once: a read_committed consumer sees a
 * batch's records once, or not at all while it is uncommitted. The transactional id is the query's,
 * the sink's and the replica's, so a restarted runner fences its crashed predecessor and aborts its
 * open transaction; {@link BatchMarkers} then tell whether the batch being re-run had already
 * committed. Any failure discards the producer: the next attempt starts from that check.
 */
public final class KafkaSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
  private static final long ADMIN_TIMEOUT_MS = 30_000;

  /** How long the sink waits for the cluster to answer before it counts as unavailable. */
  private static final long REACH_TIMEOUT_MS = 5_000;

  /**
   * @param name The sink's name, for progress and client ids.
   * @param topic The topic of every record, or null for each row's topic column.
   * @param format JSON or CSV to encode values, or null for raw (the value column).
   * @param transactionalId Unique to the query, the sink and the runner; also the markers' group.
   * @param clientProperties More producer settings (security).
   */
  public record Settings(
      String name,
      String bootstrapServers,
      String topic,
      RowFormat.Kind format,
      char delimiter,
      String transactionalId,
      Map<String, Object> clientProperties) {}

  private final Settings settings;
  private KafkaProducer<byte[], byte[]> producer;
  private long lastCommitted;
  private long lastCommitMs;
  private List<Column> builderColumns;
  private KafkaRecordBuilder builder;

  public KafkaSink(Settings settings) {
    this.settings = settings;
  }

  /** Why a result with {@code columns} cannot be written, or null when it can. */
  public static String problem(List<Column> columns, String topic, RowFormat.Kind format) {
    return KafkaRecordBuilder.problem(columns, topic, format == null);
  }

  @Override
  public String description() {
    return "KafkaSink[" + (settings.topic() != null ? settings.topic() : "topic column") + "]";
  }

  @Override
  public long addBatch(long batchId, List<Column> columns, Iterable<Object[]> rows) {
    open();
    if (batchId < lastCommitted) {
      throw new SinkTargetException(
          "Kafka sink "
              + settings.name()
              + " committed batches up to "
              + lastCommitted
              + " of this query (transactional id "
              + settings.transactionalId()
              + "), but its checkpoint runs batch "
              + batchId
              + " next: the checkpoint lost its offsets and commits, and those batches would be"
              + " skipped as written. Restore them, or start from an empty checkpoint"
              + " (spec.checkpoint.resetNonce), which also gives the sink a new transactional id");
    }
    if (batchId == lastCommitted) {
      LOG.info("skipping batch {}: its transaction already committed", batchId);
      return 0;
    }
    try {
      return write(batchId, builder(columns), rows);
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      discard();
      throw new IllegalStateException(
          "another producer with transactional id "
              + settings.transactionalId()
              + " took over: two runners of the same query and replica are running",
          e);
    } catch (RuntimeException e) {
      discard();
      throw failure("batch " + batchId + " failed and was aborted", e);
    }
  }

  private long write(long batchId, KafkaRecordBuilder records, Iterable<Object[]> rows) {
    Set<String> topics = new HashSet<>();
    long count = 0;
    producer.beginTransaction();
    for (Object[] row : rows) {
      ProducerRecord<byte[], byte[]> record = records.build(row);
      topics.add(record.topic());
      // no callback per record: a failed send makes commitTransaction throw (measured: the
      // callbacks cost 4% of the runner's time at 600K records/s)
      producer.send(record);
      count++;
    }
    if (count == 0) {
      producer.abortTransaction(); // nothing to make visible, nothing to re-run twice
      lastCommitMs = 0;
      return 0;
    }
    producer.sendOffsetsToTransaction(
        BatchMarkers.of(topics, batchId), new ConsumerGroupMetadata(settings.transactionalId()));
    long commitStart = System.nanoTime();
    producer.commitTransaction(); // fails when any send of the transaction failed
    lastCommitMs = (System.nanoTime() - commitStart) / 1_000_000;
    lastCommitted = batchId;
    return count;
  }

  /** How long the last batch's commit took: what exactly-once costs per batch beyond sending. */
  @Override
  public Map<String, String> metrics() {
    return Map.of("transactionCommitMs", Long.toString(lastCommitMs));
  }

  private KafkaRecordBuilder builder(List<Column> columns) {
    if (!columns.equals(builderColumns)) {
      builder =
          new KafkaRecordBuilder(
              columns, settings.topic(), settings.format(), settings.delimiter());
      builderColumns = columns;
    }
    return builder;
  }

  /** A new producer, which fences the last one, and the last batch that committed. */
  @Override
  public void open() {
    if (producer != null) {
      return;
    }
    Map<String, Object> config = new HashMap<>(settings.clientProperties());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "streamloop-sink-" + settings.name());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    String what =
        "Kafka sink "
            + settings.name()
            + " (bootstrap servers "
            + settings.bootstrapServers()
            + ")";
    try (Admin admin = KafkaErrors.create(what, () -> Admin.create(adminConfig()))) {
      // an unreachable cluster is found in seconds and retried with backoff (readiness names
      // it, a stop request is honoured), instead of blocking in initTransactions for max.block.ms
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) REACH_TIMEOUT_MS))
          .clusterId()
          .get(REACH_TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS);
      KafkaProducer<byte[], byte[]> fresh =
          KafkaErrors.create(what, () -> new KafkaProducer<>(config));
      try {
        fresh.initTransactions();
        lastCommitted =
            BatchMarkers.lastCommitted(admin, settings.transactionalId(), ADMIN_TIMEOUT_MS);
        producer = fresh;
      } finally {
        if (producer != fresh) {
          fresh.close(Duration.ZERO);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the Kafka sink", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      if (e instanceof UnavailableException || e instanceof SinkTargetException) {
        throw (RuntimeException) e;
      }
      throw failure(
          "cannot start a transaction", e instanceof ExecutionException ? e.getCause() : e);
    }
  }

  /**
   * What a failure means for the loop: brokers that refuse the runner stop it (exit 2) with the
   * ACLs it needs; unreachable ones are retried; anything else fails the query (exit 1).
   */
  private RuntimeException failure(String what, Throwable cause) {
    String message =
        "Kafka sink "
            + settings.name()
            + " (bootstrap servers "
            + settings.bootstrapServers()
            + "): "
            + what
            + ": "
            + cause.getMessage();
    if (KafkaErrors.isDenied(cause)) {
      String id = settings.transactionalId();
      return new SinkTargetException(
          message
              + "; the runner's Kafka user needs WRITE and DESCRIBE on transactional id "
              + id
              + ", READ on group "
              + id
              + " and WRITE on the topics it writes, or correct the sink's security settings");
    }
    if (cause instanceof TimeoutException || KafkaErrors.isUnavailable(cause)) {
      return new UnavailableException(message, cause);
    }
    return new IllegalStateException(message, cause);
  }

  private Map<String, Object> adminConfig() {
    Map<String, Object> config = new HashMap<>(settings.clientProperties());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "streamloop-sink-admin-" + settings.name());
    return config;
  }

  /** Drops the producer without waiting: its open transaction is aborted by the next one. */
  private void discard() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
      producer = null;
    }
  }
}
