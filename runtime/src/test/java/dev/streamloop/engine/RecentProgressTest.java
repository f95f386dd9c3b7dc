package dev.streamloop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentProgressTest {
  private static StreamingQueryProgress batch(long id) {
    return StreamingQueryProgress.of(
        "q", "r", "n", "t", id, 1, 0, null, null, Map.of(), Map.of(), List.of(), List.of(),
        List.of(), "m");
  }

  @Test
  void keepsExactlyTheLastLimitEntries() {
    RecentProgress recent = new RecentProgress(3);
    for (long id = 0; id < 5; id++) {
      recent.onProgress(batch(id));
    }

    assertThat(recent.all())
        .extracting(StreamingQueryProgress::batchId)
        .containsExactly(2L, 3L, 4L);
    assertThat(recent.last()).hasValueSatisfying(p -> assertThat(p.batchId()).isEqualTo(4));
  }
}
