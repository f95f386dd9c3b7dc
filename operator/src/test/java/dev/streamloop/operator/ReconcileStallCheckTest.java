package dev.streamloop.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ReconcileStallCheckTest {
  private Instant now = Instant.parse("2026-11-24T01:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void livenessFailsOnlyWhileAReconcileHasRunForFiveMinutes() {
    ReconcileTracker tracker = new ReconcileTracker(clock);
    ReconcileStallCheck check = new ReconcileStallCheck(tracker);
    assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

    tracker.started("team-a/clicks");
    now = now.plus(Duration.ofMinutes(4));
    tracker.started("team-a/views"); // a younger one does not hide the oldest
    assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    now = now.plus(Duration.ofMinutes(1));
    HealthCheckResponse stalled = check.call();
    assertThat(stalled.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(stalled.getData().orElseThrow())
        .containsEntry("longestRunningReconcileSeconds", 300L);

    tracker.finished("team-a/clicks");
    assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
  }
}
