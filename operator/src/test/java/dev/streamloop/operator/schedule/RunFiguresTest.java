package dev.streamloop.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.RunRecord;
import dev.streamloop.operator.TestJobs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's batches and rows, read from its runners' termination messages. */
class RunFiguresTest {
  private static Pod ended(String job, String message) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(job + "-" + Math.abs(message.hashCode()))
        .withLabels(Map.of("job-name", job))
        .endMetadata()
        .withNewStatus()
        .addNewContainerStatus()
        .withName("runner")
        .withNewState()
        .withNewTerminated()
        .withExitCode(0)
        .withMessage(message)
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  private static String summary(long batches, long rows) {
    return "stopped: ...\n{\"batches\":" + batches + ",\"numInputRows\":" + rows + "}";
  }

  @Test
  void theBusiestRunnersBatchesAndEveryRunnersRowsIncludingRetriedAttempts() {
    Job replica0 = TestJobs.job(4, "k", "Complete");
    Job replica1 = TestJobs.job(4, "k", "Complete");
    replica1.getMetadata().setName("q-run-4-1");
    List<Pod> pods =
        List.of(
            ended("q-run-4-0", summary(3, 300)),
            ended("q-run-4-1", "query failed: broker down\n" + summary(1, 10).split("\n")[1]),
            ended("q-run-4-1", summary(4, 90)),
            ended("q-run-3-0", summary(100, 1_000_000)), // another run's
            ended("q-run-4-0", "invalid StreamingQuery:\nspec.query: ...")); // no summary

    assertThat(RunFigures.of(List.of(replica0, replica1), pods)).contains(new RunFigures(5, 400));
    assertThat(RunFigures.of(List.of(replica0), List.of())).isEmpty();
  }

  @Test
  void theHistoryKeepsARunsFiguresOnceItsPodsAreGone() {
    Run run = Run.of(List.of(TestJobs.job(1, "k", "Complete"))).get(0);
    RunRecord withPods = run.record("q", List.of(ended("q-run-1-0", summary(2, 20))));
    RunRecord withoutPods = run.record("q", List.of());

    List<RunRecord> records =
        RunHistory.records(List.of(withPods), List.of(withoutPods), List.of());

    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.batches()).isEqualTo(2L);
              assertThat(r.numInputRows()).isEqualTo(20L);
            });
  }
}
