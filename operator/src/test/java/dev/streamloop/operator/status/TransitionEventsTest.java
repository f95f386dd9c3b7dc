package dev.streamloop.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionEventsTest {
  @Test
  void onlyChangedConditionsMakeEventsAndTroubleIsAWarning() {
    StreamingQueryStatus pending =
        status(
            new Conditions(null, 1, "t0")
                .set("Ready", false, "RunnersNotReady", "0 of 1 runners ready")
                .set("Degraded", false, "AsExpected", "")
                .build());
    assertThat(TransitionEvents.between(null, pending)).isEmpty();

    StreamingQueryStatus failing =
        status(
            new Conditions(pending.conditions(), 1, "t1")
                .set("Ready", false, "RunnersNotReady", "0 of 1 runners ready")
                .set("Degraded", true, "OOMKilled", "runner ran out of memory")
                .build());
    assertThat(TransitionEvents.between(pending, failing))
        .containsExactly(
            new TransitionEvents.Event("Warning", "OOMKilled", "runner ran out of memory"));
    assertThat(TransitionEvents.between(failing, failing)).isEmpty();

    StreamingQueryStatus ready =
        status(
            new Conditions(failing.conditions(), 1, "t2")
                .set("Ready", true, "RunnersReady", "1 of 1 runners ready")
                .set("Degraded", false, "AsExpected", "")
                .build());
    assertThat(TransitionEvents.between(failing, ready))
        .extracting(TransitionEvents.Event::type, TransitionEvents.Event::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Normal", "RunnersReady"),
            org.assertj.core.groups.Tuple.tuple("Normal", "AsExpected"));
  }

  private static StreamingQueryStatus status(
      List<dev.streamloop.api.v1alpha1.Condition> conditions) {
    return new StreamingQueryStatus(
        1L, 1L, null, null, conditions, null, null, null, null, null, null, null, null, null, null);
  }
}
