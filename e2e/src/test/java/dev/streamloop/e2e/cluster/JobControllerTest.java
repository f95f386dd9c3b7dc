package dev.streamloop.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class JobControllerTest {
  @Test
  void completedIndexesAreWrittenAsRangesAsTheApiDoes() {
    assertThat(JobController.ranges(new TreeSet<>(List.of(0, 1, 2, 5, 7, 8))))
        .isEqualTo("0-2,5,7-8");
    assertThat(JobController.ranges(new TreeSet<>())).isNull();
  }
}
