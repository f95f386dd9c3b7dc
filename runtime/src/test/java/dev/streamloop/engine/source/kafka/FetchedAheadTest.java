package dev.streamloop.engine.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class FetchedAheadTest {
  private static final TopicPartition TP = new TopicPartition("events", 0);

  private final FetchedAhead ahead = new FetchedAhead();
  private final List<ConsumerRecord<byte[], byte[]>> into = new ArrayList<>();

  private static List<ConsumerRecord<byte[], byte[]>> records(long... offsets) {
    return LongStream.of(offsets)
        .mapToObj(
            o ->
                new ConsumerRecord<>(
                    TP.topic(),
                    0,
                    o,
                    0L,
                    TimestampType.CREATE_TIME,
                    0,
                    10,
                    new byte[0],
                    new byte[10],
                    new RecordHeaders(),
                    Optional.<Integer>empty()))
        .toList();
  }

  private List<Long> taken() {
    return into.stream().map(ConsumerRecord::offset).toList();
  }

  @Test
  void batchesThatStartWhereTheLastEndedTakeTheKeptRecordsAndGapsStayGaps() {
    // 15 is a transaction marker: never visible, so the segment [10, 20) has 9 records
    ahead.keep(TP, 10, 20, records(10, 11, 12, 13, 14, 16, 17, 18, 19));

    assertThat(ahead.take(TP, 10, 13, into)).isEqualTo(13); // covered: no fetch
    assertThat(taken()).containsExactly(10L, 11L, 12L);

    into.clear();
    assertThat(ahead.take(TP, 13, 25, into)).isEqualTo(20); // the rest, then fetch from 20
    assertThat(taken()).containsExactly(13L, 14L, 16L, 17L, 18L, 19L);
    assertThat(ahead.bytes()).isZero();
  }

  @Test
  void aBatchThatStartsElsewhereFetchesAndTheKeptRecordsAreDropped() {
    ahead.keep(TP, 10, 20, records(10, 11, 12));

    assertThat(ahead.take(TP, 5, 12, into)).isEqualTo(5); // a re-run batch reads from its start
    assertThat(into).isEmpty();
    assertThat(ahead.take(TP, 10, 12, into)).isEqualTo(10);
    assertThat(ahead.bytes()).isZero();
  }

  @Test
  void keptBytesAreBounded() {
    int count = (int) (FetchedAhead.MAX_BYTES / 10);
    long[] offsets = LongStream.range(0, count).toArray();
    ahead.keep(TP, 0, count, records(offsets));
    assertThat(ahead.bytes()).isEqualTo(count * 10L).isGreaterThan(FetchedAhead.MAX_BYTES - 10);

    TopicPartition other = new TopicPartition("events", 1);
    ahead.keep(other, 0, 1, records(0));
    assertThat(ahead.take(other, 0, 1, into)).isEqualTo(0); // not kept: over the bound
    assertThat(ahead.take(TP, 0, 2, into)).isEqualTo(2);
    assertThat(ahead.bytes()).isEqualTo(count * 10L - 20);
  }
}
