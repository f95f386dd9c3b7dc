package dev.streamloop.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecOrRunNowChangedTest {
  private final SpecOrRunNowChanged filter = new SpecOrRunNowChanged();

  @Test
  void aRunnersNewStartIsReconciledButItsNextBatchesAreNot() {
    StreamingQuery old = withProgress("run-1", 4L);
    assertThat(filter.accept(withProgress("run-1", 5L), old)).isFalse();
    assertThat(filter.accept(withProgress("run-2", 0L), old)).isTrue();
  }

  private static StreamingQuery withProgress(String runId, long batchId) {
    StreamingQuery query = Queries.continuous();
    QueryProgress progress =
        new QueryProgress(
            "q", runId, null, null, batchId, null, null, null, null, null, null, null, null, null,
            null, null, null);
    query.setStatus(
        new StreamingQueryStatus(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            Map.of("0", progress),
            null,
            null,
            null,
            null,
            null,
            null,
            null));
    return query;
  }
}
