package dev.streamloop.operator;

import dev.streamloop.api.v1alpha1.StreamingQueryStatus.Phase;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The operator's CDI beans: leader election, the reconcile tracker and its gauges. */
public class OperatorBeans {
  /**
   * The Lease the install manifests' Role allows (manifests/operator/leader-election-role.yaml).
   */
  static final String LEASE = "streamloop-operator-lease";

  /**
   * One active operator at a time: quarkus-operator-sdk activates this in the prod profile. The
   * Lease lives in the operator's namespace (env STREAMLOOP_OPERATOR_NAMESPACE).
   *
   * <p>An operator that stops leading exits, so that its pod restarts and competes again; but not
   * the way JOSDK does it by default, with System.exit on the thread that stops leading: on SIGTERM
   * that thread is Quarkus' shutdown, and exiting from within a shutdown hook waits for the hooks
   * forever, so the pod hung until the kubelet killed it after its grace period (seen on the local
   * cluster's real API server). Exiting from a thread of its own works in both cases: when the JVM
   * is already shutting down, that thread simply waits for it.
   */
  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection(
      @ConfigProperty(name = "streamloop.operator-namespace") Optional<String> namespace) {
    LeaderElectionConfigurationBuilder builder =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(
                new LeaderCallbacks(() -> {}, OperatorBeans::exitAfterLosingTheLease, id -> {}));
    namespace.ifPresent(builder::withLeaseNamespace);
    return builder.build();
  }

  private static void exitAfterLosingTheLease() {
    Thread exit = new Thread(() -> System.exit(1), "exit-after-losing-the-lease");
    exit.setDaemon(true);
    exit.start();
  }

  /**
   * JOSDK's reconcile metrics without a series per query: quarkus-operator-sdk's default tags every
   * meter with the resource's name and namespace, and with 1,000 queries one Prometheus scrape of
   * that made the operator run out of its 160 MB heap (bench/run-operator-scale.sh). Per-query
   * figures are in each query's status and in its runners' metrics.
   */
  @Produces
  @Singleton
  Metrics reconcileMetrics(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  @Produces
  @Singleton
  ReconcileTracker tracker(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    ReconcileTracker tracker = new ReconcileTracker(Clock.systemUTC());
    new QueryHealthMetrics(tracker::queries).register(prometheus.getPrometheusRegistry());
    for (Phase phase : Phase.values()) {
      Gauge.builder("streamloop.queries", tracker, t -> t.queriesByPhase().get(phase))
          .description("StreamingQueries by phase, as this operator last recorded them")
          .tag("phase", phase.name())
          .register(registry);
    }
    return tracker;
  }
}
