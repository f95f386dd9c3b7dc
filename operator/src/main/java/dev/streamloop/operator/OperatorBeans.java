package dev.streamloop.operator;

import dev.streamloop.api.v1alpha1.StreamingQueryStatus.Phase;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
   */
  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection(
      @ConfigProperty(name = "streamloop.operator-namespace") Optional<String> namespace) {
    LeaderElectionConfigurationBuilder builder =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE);
    namespace.ifPresent(builder::withLeaseNamespace);
    return builder.build();
  }

  @Produces
  @Singleton
  ReconcileTracker tracker(MeterRegistry registry) {
    ReconcileTracker tracker = new ReconcileTracker(Clock.systemUTC());
    for (Phase phase : Phase.values()) {
      Gauge.builder("streamloop.queries", tracker, t -> t.queriesByPhase().get(phase))
          .description("StreamingQueries by phase, as this operator last recorded them")
          .tag("phase", phase.name())
          .register(registry);
    }
    return tracker;
  }
}
