package dev.streamloop.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A continuous query through the real operator and runner: Ready, and its progress moves. */
class ContinuousQueryTest {
  static final String RATE_TO_FILE =
      """
      apiVersion: streamloop.dev/v1alpha1
      kind: StreamingQuery
      metadata:
        name: ticks
      spec:
        sources:
          - name: ticks
            rate: {rowsPerBatch: 5}
        query: SELECT "value" FROM ticks
        sinks:
          - name: out
            file: {path: /data/out}
            format: json
        trigger: {processingTime: 1s}
        runner:
          terminationGracePeriodSeconds: 10
          volumes:
            - name: data
              mountPath: /data
              persistentVolumeClaim: {claimName: data}
      """;

  @Test
  void becomesReadyAndItsProgressKeepsMoving() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("continuous");
    e2e.apply(ns, RATE_TO_FILE);

    e2e.waitFor(ns, "ticks", "Ready", "True", Duration.ofSeconds(60));
    assertThat(e2e.query(ns, "ticks").get().getStatus().phase()).isEqualTo(Phase.Running);
    QueryProgress first =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> e2e.progress(ns, "ticks"), p -> p != null && p.batchId() != null);
    QueryProgress later =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> e2e.progress(ns, "ticks"), p -> p.batchId() >= first.batchId() + 2);
    assertThat(later.numInputRows()).isEqualTo(5);
    assertThat(e2e.query(ns, "ticks").get().getStatus().queryId()).isNotBlank();
  }
}
