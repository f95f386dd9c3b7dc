package dev.streamloop.operator;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: fails when a reconcile has been running for more than five minutes (a hung API call, a
 * deadlock), so that the kubelet restarts the operator; quarkus-operator-sdk's own readiness check
 * covers informers that stopped.
 */
@Liveness
@ApplicationScoped
public class ReconcileStallCheck implements HealthCheck {
  static final Duration STALLED = Duration.ofMinutes(5);
  private final ReconcileTracker tracker;

  public ReconcileStallCheck(ReconcileTracker tracker) {
    this.tracker = tracker;
  }

  @Override
  public HealthCheckResponse call() {
    var longest = tracker.longestRunning().orElse(Duration.ZERO);
    return HealthCheckResponse.named("reconcile-progress")
        .status(longest.compareTo(STALLED) < 0)
        .withData("longestRunningReconcileSeconds", longest.toSeconds())
        .build();
  }
}
