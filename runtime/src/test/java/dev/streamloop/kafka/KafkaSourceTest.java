package dev.streamloop.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Clock;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.ManualClock;
import dev.streamloop.engine.MicroBatchExecution;
import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.QueryDefinition;
import dev.streamloop.engine.Sink;
import dev.streamloop.engine.SourceLag;
import dev.streamloop.engine.StreamingQueryProgress;
import dev.streamloop.engine.Trigger;
import dev.streamloop.engine.checkpoint.FileCheckpoint;
import dev.streamloop.engine.source.BadRecords;
import dev.streamloop.engine.source.JsonRecordParser;
import dev.streamloop.engine.source.kafka.KafkaSource;
import dev.streamloop.engine.sql.QueryCompiler;
import dev.streamloop.engine.sql.TableDefinition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka source through the loop, against a real broker: offsets in the checkpoint only. */
class KafkaSourceTest {
  private static final List<Column> SCHEMA =
      List.of(new Column("user", ColumnKind.STRING), new Column("n", ColumnKind.LONG));
  private static KafkaBroker broker;

  @TempDir Path dir;

  private final List<Long> read = new ArrayList<>();
  private final List<StreamingQueryProgress> progress = new ArrayList<>();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  private static void produce(String topic, int from, int to) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = from; i < to; i++) {
        producer
            .send(new ProducerRecord<>(topic, "k" + i, "{\"user\":\"u" + i + "\",\"n\":" + i + "}"))
            .get();
      }
    }
  }

  /** One runner process: available-now over the topic, at most 4 records a batch. */
  private void run(String topic, String startingOffsets) throws Exception {
    run(topic, startingOffsets, true);
  }

  private void run(String topic, String startingOffsets, boolean failOnDataLoss) throws Exception {
    KafkaSource source =
        new KafkaSource(
            settings(topic, startingOffsets, 4L, null, failOnDataLoss),
            new BadRecords(BadRecords.Policy.FAIL, null, "clicks"),
            FileCheckpoint.open(dir).sourceLog(0));
    BatchQuery query =
        QueryCompiler.compile(
            "SELECT n FROM clicks", List.of(new TableDefinition("clicks", SCHEMA)));
    Sink sink =
        new Sink() {
          @Override
          public String description() {
            return "test";
          }

          @Override
          public long addBatch(long batchId, List<Column> columns, Iterable<Object[]> rows) {
            long count = 0;
            for (Object[] row : rows) {
              read.add((Long) row[0]);
              count++;
            }
            return count;
          }
        };
    try (source) {
      new MicroBatchExecution(
              new QueryDefinition(
                  "kafka", List.of(source), query, List.of(sink), new Trigger.AvailableNow(), 100),
              FileCheckpoint.open(dir),
              Clock.SYSTEM,
              new ProgressListener() {
                @Override
                public void onProgress(StreamingQueryProgress p) {
                  progress.add(p);
                }
              })
          .run();
    }
  }

  @Test
  void everyRecordOnceAcrossRestartsWithAtMostMaxOffsetsPerTriggerPerBatch() throws Exception {
    broker.createTopic("orders", 2);
    produce("orders", 0, 10);

    run("orders", "earliest");
    produce("orders", 10, 15);
    run("orders", "earliest");

    assertThat(read).containsExactlyInAnyOrderElementsOf(range(0, 15));
    List<StreamingQueryProgress> batches =
        progress.stream().filter(p -> p.durationMs().containsKey("addBatch")).toList();
    assertThat(batches).allSatisfy(p -> assertThat(p.numInputRows()).isLessThanOrEqualTo(4));
    assertThat(batches.get(batches.size() - 1).sources().get(0).metrics())
        .containsEntry("maxOffsetsBehindLatest", "0");
  }

  @Test
  void aSmallBatchReadsTheRecordsTheLastBatchFetchedBeyondItsEndWithoutFetchingThemAgain()
      throws Exception {
    broker.createTopic("ahead", 1);
    produce("ahead", 0, 20);
    try (KafkaSource source = source("ahead", 5L)) {
      String first = source.planBatch(0, null);
      assertThat(values(source.read(0, null, first))).isEqualTo(range(0, 5));
      String second = source.planBatch(1, first);
      // Retention takes the first 10 records after the first batch's fetch returned them: a
      // fetch from offset 5 would now fail. The second batch reads them all the same, from the
      // records the first fetch returned beyond its end (as Spark's consumer cache would).
      broker.deleteRecordsBefore("ahead", 10);
      assertThat(values(source.read(1, first, second))).isEqualTo(range(5, 10));
      // a batch that starts elsewhere reads from the brokers, and finds the offsets deleted
      assertThatThrownBy(() -> values(source.read(0, null, first)))
          .hasMessageContaining("offsets 0 to 4 of ahead-0 were deleted");
    }
  }

  @Test
  void lagIsTheRecordsBeyondThePlannedEndWithTheOldestOnesTimestamp() throws Exception {
    broker.createTopic("lagging", 1);
    long before = System.currentTimeMillis();
    produce("lagging", 0, 20);
    long produced = System.currentTimeMillis();
    try (KafkaSource source = source("lagging", 5L)) {
      String first = source.planBatch(0, null);
      assertThat(source.lag().recordsBehind()).isEqualTo(15);
      // nothing was fetched yet: the time the runner saw the partition behind stands in
      assertThat(Instant.parse(source.lag().oldestUnprocessedTime()).toEpochMilli())
          .isGreaterThanOrEqualTo(produced);
      values(source.read(0, null, first));
      String second = source.planBatch(1, first);
      // the fetch brought record 10 ahead of batch 1: its own timestamp
      assertThat(source.lag().recordsBehind()).isEqualTo(10);
      assertThat(Instant.parse(source.lag().oldestUnprocessedTime()).toEpochMilli())
          .isBetween(before, produced);
      values(source.read(1, first, second));
      String third = source.planBatch(2, second);
      values(source.read(2, second, third));
      source.planBatch(3, third);
      assertThat(source.lag()).isEqualTo(new SourceLag(0L, null, null, null));
    }
  }

  private KafkaSource source(String topic, Long maxOffsetsPerTrigger) {
    return new KafkaSource(
        settings(topic, "earliest", maxOffsetsPerTrigger, null, true),
        new BadRecords(BadRecords.Policy.FAIL, null, "clicks"),
        FileCheckpoint.open(dir).sourceLog(0));
  }

  /** JSON values of SCHEMA from one topic; minOffsetsPerTrigger waits at most 60 s. */
  private static KafkaSource.Settings settings(
      String topic,
      String startingOffsets,
      Long maxOffsetsPerTrigger,
      Long minOffsetsPerTrigger,
      boolean failOnDataLoss) {
    return new KafkaSource.Settings(
        "clicks",
        SCHEMA,
        broker.bootstrapServers(),
        List.of(topic),
        null,
        startingOffsets,
        maxOffsetsPerTrigger,
        minOffsetsPerTrigger,
        minOffsetsPerTrigger == null ? 0 : 60_000,
        failOnDataLoss,
        new JsonRecordParser(SCHEMA),
        Map.of(),
        dev.streamloop.engine.Share.ALL);
  }

  private static List<Long> values(java.util.Iterator<Object[]> rows) {
    List<Long> values = new ArrayList<>();
    rows.forEachRemaining(row -> values.add((Long) row[1]));
    return values;
  }

  @Test
  void minOffsetsPerTriggerHoldsABatchBackUntilEnoughRecordsOrMaxTriggerDelay() throws Exception {
    broker.createTopic("trickle", 1);
    ManualClock clock = new ManualClock(1_000_000);
    try (KafkaSource source =
        new KafkaSource(
            settings("trickle", "earliest", null, 5L, true),
            new BadRecords(BadRecords.Policy.FAIL, null, "clicks"),
            FileCheckpoint.open(dir).sourceLog(0),
            clock)) {
      produce("trickle", 0, 2);
      String first = source.planBatch(0, null); // the first trigger always runs, as in Spark
      assertThat(first).isEqualTo("{\"trickle\":{\"0\":2}}");

      produce("trickle", 2, 5); // 3 new records, fewer than 5
      clock.advance(59_000);
      assertThat(source.planBatch(1, first)).isEqualTo(first);
      clock.advance(1_000); // maxTriggerDelay has passed since the last batch
      String second = source.planBatch(1, first);
      assertThat(second).isEqualTo("{\"trickle\":{\"0\":5}}");

      produce("trickle", 5, 10); // 5 new records: enough at once
      assertThat(source.planBatch(2, second)).isEqualTo("{\"trickle\":{\"0\":10}}");
    }
  }

  @Test
  void latestMeansTheLatestWhenTheQueryFirstStartedEvenAcrossARestart() throws Exception {
    broker.createTopic("views", 1);
    produce("views", 0, 3); // before the query: not read with startingOffsets latest

    run("views", "latest"); // nothing new yet; the initial offsets are kept in the checkpoint
    produce("views", 3, 6);
    run("views", "latest");

    assertThat(read).containsExactly(3L, 4L, 5L);
  }

  @Test
  void offsetsDeletedBeforeTheyWereReadFailTheQueryOrAreSkippedAsAsked() throws Exception {
    broker.createTopic("pruned", 1);
    produce("pruned", 0, 2);
    run("pruned", "earliest"); // reads 0 and 1; the next batch starts at offset 2
    produce("pruned", 2, 8);
    broker.deleteRecordsBefore("pruned", 5); // retention takes 2, 3 and 4 before they are read

    assertThatThrownBy(() -> run("pruned", "earliest"))
        .hasMessageContaining("offsets 2 to 4 of pruned-0 were deleted")
        .hasMessageContaining("failOnDataLoss: false");
    run("pruned", "earliest", false);

    assertThat(read).containsExactly(0L, 1L, 5L, 6L, 7L);
  }

  private static List<Long> range(int from, int to) {
    List<Long> values = new ArrayList<>();
    for (long i = from; i < to; i++) {
      values.add(i);
    }
    return values;
  }
}
