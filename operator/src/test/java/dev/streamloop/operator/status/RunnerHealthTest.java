package dev.streamloop.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerHealthTest {
  @Test
  void healthyRunnersHaveNoProblem() {
    assertThat(RunnerHealth.assess(List.of(pod(running())))).isEmpty();
  }

  @Test
  void anExitCode2IsTheRunnersVerdictOnTheSpecWithItsTerminationMessage() {
    var container =
        new ContainerStatusBuilder(running())
            .withRestartCount(3)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(2)
            .withReason("Error")
            .withMessage(
                "invalid StreamingQuery:\nspec.query: line 1, column 8: Column 'valu' not found; did you mean 'value'?")
            .endTerminated()
            .endLastState()
            .build();
    RunnerHealth.Problem problem =
        RunnerHealth.assess(List.of(pod(running()), pod(container))).orElseThrow();
    assertThat(problem.reason()).isEqualTo("RunnerRejectedSpec");
    assertThat(problem.message()).contains("exit code 2", "did you mean 'value'?");
    assertThat(problem.restarts()).isEqualTo(3);
  }

  @Test
  void eachFailureKindHasItsOwnReason() {
    var oom =
        new ContainerStatusBuilder(running())
            .withRestartCount(1)
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(137)
            .withReason("OOMKilled")
            .endTerminated()
            .endLastState()
            .build();
    assertThat(RunnerHealth.assess(List.of(pod(oom))).orElseThrow().reason())
        .isEqualTo("OOMKilled");

    var pull =
        new ContainerStatusBuilder(running())
            .withNewState()
            .withNewWaiting()
            .withReason("ImagePullBackOff")
            .withMessage("not found")
            .endWaiting()
            .endState()
            .build();
    RunnerHealth.Problem pullProblem = RunnerHealth.assess(List.of(pod(pull))).orElseThrow();
    assertThat(pullProblem.reason()).isEqualTo("ImagePullFailed");
    assertThat(pullProblem.message()).contains("streamloop/runner:test", "spec.runner.image");

    var crash =
        new ContainerStatusBuilder(running())
            .withRestartCount(5)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(1)
            .withMessage("query failed: broker down")
            .endTerminated()
            .endLastState()
            .build();
    RunnerHealth.Problem crashProblem = RunnerHealth.assess(List.of(pod(crash))).orElseThrow();
    assertThat(crashProblem.reason()).isEqualTo("CrashLoop");
    assertThat(crashProblem.message()).contains("5 restarts", "exit code 1", "broker down");

    Pod pending =
        new PodBuilder()
            .withNewMetadata()
            .withName("clicks-runner-0")
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/3 nodes are available: 3 Insufficient memory.")
            .endCondition()
            .endStatus()
            .build();
    RunnerHealth.Problem unschedulable = RunnerHealth.assess(List.of(pending)).orElseThrow();
    assertThat(unschedulable.reason()).isEqualTo("Unschedulable");
    assertThat(unschedulable.message()).contains("Insufficient memory", "spec.runner.resources");
  }

  private static io.fabric8.kubernetes.api.model.ContainerStatus running() {
    return new ContainerStatusBuilder()
        .withName("runner")
        .withImage("streamloop/runner:test")
        .withRestartCount(0)
        .withNewState()
        .withNewRunning()
        .endRunning()
        .endState()
        .build();
  }

  private static Pod pod(io.fabric8.kubernetes.api.model.ContainerStatus container) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("clicks-runner-0")
        .endMetadata()
        .withNewStatus()
        .withContainerStatuses(container)
        .endStatus()
        .build();
  }
}
