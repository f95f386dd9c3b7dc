package dev.streamloop.e2e;

import static dev.streamloop.e2e.E2eCluster.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import org.junit.jupiter.api.Test;

/**
 * Edits of a running query: a compatible SQL change restarts the runner from its checkpoint; an
 * incompatible one (other sources) and an invalid one (a column that does not exist) are refused
 * with a condition while the running runner goes on untouched.
 */
class SpecEditTest {
  private static final String RUNNER = "ticks-runner-0";

  @Test
  void aSqlEditRestartsFromTheCheckpointAndBadEditsLeaveTheRunnerAlone() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("edit");
    e2e.apply(ns, ContinuousQueryTest.RATE_TO_FILE);
    QueryProgress first = RunnerLifecycleTest.awaitBatch(e2e, ns, 1);

    e2e.apply(ns, withQuery("SELECT \"value\", \"value\" * 2 AS doubled FROM ticks"));
    QueryProgress edited =
        await()
            .atMost(MINUTE)
            .until(
                () -> e2e.progress(ns, "ticks"),
                p -> !p.runId().equals(first.runId()) && p.batchId() > first.batchId());
    assertThat(edited.id()).isEqualTo(first.id());
    await()
        .atMost(MINUTE)
        .until(
            () -> e2e.query(ns, "ticks").get().getStatus().activeGeneration(),
            g -> g != null && g == 2);
    e2e.waitFor(ns, "ticks", "Ready", "True", MINUTE);
    String podUid = e2e.pod(ns, RUNNER).getMetadata().getUid();

    // other sources: the checkpoint's offsets belong to the old ones
    e2e.apply(
        ns,
        ContinuousQueryTest.RATE_TO_FILE
            .replace("- name: ticks\n", "- name: ticks2\n")
            .replace("FROM ticks", "FROM ticks2"));
    Condition refused = awaitDegraded(e2e, ns, 3);
    assertThat(refused.message()).contains("spec.sources");
    assertUntouched(e2e, ns, podUid);

    // an unknown column: the validation Job (the runner's own validate) refuses it
    e2e.apply(ns, withQuery("SELECT \"value\", missing_column FROM ticks"));
    Condition invalid = awaitDegraded(e2e, ns, 4);
    assertThat(invalid.message()).containsIgnoringCase("missing_column");
    assertUntouched(e2e, ns, podUid);
  }

  private static Condition awaitDegraded(E2eCluster e2e, String ns, long generation) {
    return await()
        .atMost(MINUTE)
        .until(
            () -> degraded(e2e.query(ns, "ticks").get()),
            c ->
                c != null
                    && c.status() == Condition.Status.True
                    && c.observedGeneration() == generation);
  }

  private static Condition degraded(StreamingQuery query) {
    if (query.getStatus() == null || query.getStatus().conditions() == null) {
      return null;
    }
    return query.getStatus().conditions().stream()
        .filter(c -> c.type().equals("Degraded"))
        .findFirst()
        .orElse(null);
  }

  /** The same runner pod, still on generation 2, still ready and still making batches. */
  private static void assertUntouched(E2eCluster e2e, String ns, String podUid) {
    StreamingQuery query = e2e.query(ns, "ticks").get();
    assertThat(query.getStatus().activeGeneration()).isEqualTo(2);
    assertThat(e2e.pod(ns, RUNNER).getMetadata().getUid()).isEqualTo(podUid);
    assertThat(e2e.condition(ns, "ticks", "Ready")).isEqualTo("True");
    long batch = e2e.progress(ns, "ticks").batchId();
    await().atMost(MINUTE).until(() -> e2e.progress(ns, "ticks").batchId() > batch);
  }

  private static String withQuery(String sql) {
    return ContinuousQueryTest.RATE_TO_FILE.replace(
        "query: SELECT \"value\" FROM ticks", "query: '" + sql.replace("'", "''") + "'");
  }
}
