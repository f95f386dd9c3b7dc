package dev.streamloop.engine.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaOffsetsTest {
  private static final TopicPartition A0 = new TopicPartition("a", 0);
  private static final TopicPartition A1 = new TopicPartition("a", 1);
  private static final TopicPartition B0 = new TopicPartition("b", 0);

  @Test
  void offsetsRoundTripAsSparkWritesThemOrderedByTopicAndPartition() {
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    offsets.put(B0, 7L);
    offsets.put(A1, 45L);
    offsets.put(A0, 23L);

    String json = KafkaOffsets.toJson(offsets);

    assertThat(json).isEqualTo("{\"a\":{\"0\":23,\"1\":45},\"b\":{\"0\":7}}");
    assertThat(KafkaOffsets.parse(json)).isEqualTo(offsets);
    assertThatThrownBy(() -> KafkaOffsets.parse("{\"a\":{\"x\":1}}"))
        .hasMessageContaining("partition numbers and offsets");
  }

  @Test
  void maxOffsetsPerTriggerIsSplitByBacklogAsSparkDoes() {
    Map<TopicPartition, Long> start = Map.of(A0, 0L, A1, 100L, B0, 0L);
    Map<TopicPartition, Long> end = new LinkedHashMap<>();
    end.put(A0, 300L); // backlog 300
    end.put(A1, 200L); // backlog 100
    end.put(B0, 1L); // backlog 1: its share (0.25) rounds up to 1

    Map<TopicPartition, Long> limited = KafkaOffsets.limit(start, end, 100);

    assertThat(limited).containsEntry(A0, 74L).containsEntry(A1, 124L).containsEntry(B0, 1L);
    assertThat(KafkaOffsets.limit(start, end, 1_000)).isEqualTo(end);
  }
}
