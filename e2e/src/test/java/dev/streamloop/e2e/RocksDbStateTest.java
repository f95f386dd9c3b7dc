package dev.streamloop.e2e;

import static dev.streamloop.e2e.E2eCluster.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.QueryProgress;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

/**
 * spec.state.store on the real control plane: a running aggregation switched from the heap to
 * RocksDB rolls out with the pod's local volume and memory limit, and keeps every group it had.
 */
class RocksDbStateTest {
  private static final String GROUPS =
      """
      apiVersion: streamloop.dev/v1alpha1
      kind: StreamingQuery
      metadata:
        name: groups
      spec:
        sources:
          - name: ticks
            rate: {rowsPerBatch: 5}
        query: SELECT "value" AS v, COUNT(*) AS n FROM ticks GROUP BY "value"
        outputMode: update
        sinks:
          - name: out
            console: {}
        trigger: {processingTime: 1s}
        runner:
          terminationGracePeriodSeconds: 10
      """;

  /** Every batch adds five groups (five new values), so batch b ends with 5(b+1) of them. */
  private static void assertEveryGroupKept(QueryProgress progress) {
    assertThat(progress.stateOperators().get(0).numRowsTotal())
        .as("groups after batch %d", progress.batchId())
        .isEqualTo(5 * (progress.batchId() + 1));
  }

  @Test
  void switchingARunningAggregationToRocksDbKeepsItsGroups() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("rocksdb");
    e2e.apply(ns, GROUPS);
    QueryProgress heap = RunnerLifecycleTest.awaitBatch(e2e, ns, "groups", 2);
    assertEveryGroupKept(heap);

    e2e.apply(ns, GROUPS.replace("  runner:\n", "  state: {store: rocksdb}\n  runner:\n"));
    QueryProgress rocksdb =
        await()
            .atMost(MINUTE)
            .until(
                () -> e2e.progress(ns, "groups"),
                p ->
                    p != null
                        && !p.runId().equals(heap.runId())
                        && p.batchId() > heap.batchId()
                        && p.stateOperators() != null
                        && !p.stateOperators().isEmpty());

    assertThat(rocksdb.id()).as("the same checkpoint").isEqualTo(heap.id());
    assertEveryGroupKept(rocksdb);
    assertThat(rocksdb.stateOperators().get(0).customMetrics()).containsKey("stateBytesWritten");
    Pod pod = e2e.pod(ns, "groups-runner-0");
    assertThat(pod.getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getName()).isEqualTo("state-local"));
    assertThat(pod.getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("STREAMLOOP_MEMORY_LIMIT");
              assertThat(v.getValueFrom().getResourceFieldRef().getResource())
                  .isEqualTo("limits.memory");
            });
    e2e.waitFor(ns, "groups", "Ready", "True", MINUTE);
  }
}
