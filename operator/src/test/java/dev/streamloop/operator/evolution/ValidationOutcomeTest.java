package dev.streamloop.operator.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.operator.TestJobs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationOutcomeTest {
  private static Job job(String condition) {
    JobBuilder job = new JobBuilder().withNewMetadata().withName("clicks-validate-4").endMetadata();
    if (condition != null) {
      job.withNewStatus()
          .addNewCondition()
          .withType(condition)
          .withStatus("True")
          .endCondition()
          .endStatus();
    }
    return job.build();
  }

  private static Pod ended(int exitCode, String message) {
    return TestJobs.endedPod("clicks-validate-4", null, exitCode, message);
  }

  @Test
  void exit1IsTheVerdictWithItsIndentedReasons() {
    Pod pod =
        ended(
            1,
            "/streamloop/query/query.yaml: valid\nStateIncompatible\n  spec.query: the aggregation"
                + " changed\n  spec.outputMode: update to complete on an aggregation\n");

    ValidationOutcome outcome = ValidationOutcome.of(job("Failed"), List.of(pod));

    assertThat(outcome.state()).isEqualTo(ValidationOutcome.State.INCOMPATIBLE);
    assertThat(outcome.reasons())
        .containsExactly(
            "spec.query: the aggregation changed",
            "spec.outputMode: update to complete on an aggregation");
  }

  @Test
  void anyOtherFailureIsTheRunnersRefusalOfTheSpec() {
    ValidationOutcome outcome =
        ValidationOutcome.of(
            job("Failed"), List.of(ended(2, "query.yaml: spec.query: no column x")));

    assertThat(outcome.state()).isEqualTo(ValidationOutcome.State.INVALID);
    assertThat(outcome.message())
        .isEqualTo("the runner refused it: query.yaml: spec.query: no column x");
  }

  @Test
  void aJobWithoutAnEndIsStillRunningAndACompleteOnePassed() {
    assertThat(ValidationOutcome.of(job(null), List.of()).state())
        .isEqualTo(ValidationOutcome.State.RUNNING);
    assertThat(ValidationOutcome.of(job("Complete"), List.of()).state())
        .isEqualTo(ValidationOutcome.State.PASSED);
  }
}
