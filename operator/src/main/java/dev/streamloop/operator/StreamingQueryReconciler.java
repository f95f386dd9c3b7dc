package dev.streamloop.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.Durations;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.api.validation.StreamingQueryValidator;
import dev.streamloop.api.validation.ValidationError;
import dev.streamloop.operator.desired.ChildNames;
import dev.streamloop.operator.desired.Labels;
import dev.streamloop.operator.desired.RunnerAccess;
import dev.streamloop.operator.desired.RunnerStatefulSet;
import dev.streamloop.operator.desired.SpecSnapshot;
import dev.streamloop.operator.desired.SpecValidationJob;
import dev.streamloop.operator.evolution.ChangeDecision;
import dev.streamloop.operator.evolution.EvolutionPolicy;
import dev.streamloop.operator.evolution.ValidationOutcome;
import dev.streamloop.operator.schedule.CronSchedule;
import dev.streamloop.operator.schedule.Run;
import dev.streamloop.operator.status.EventRecorder;
import dev.streamloop.operator.status.RunnerFailures;
import dev.streamloop.operator.status.RunnerRestarts;
import dev.streamloop.operator.status.StatusCalculator;
import dev.streamloop.operator.status.StatusRecorder;
import dev.streamloop.operator.status.TransitionEvents;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a StreamingQuery: observe its runners, validate the spec, build and write the children
 * of a valid spec, record the status. An invalid spec changes no child, so the last valid
 * generation keeps running.
 */
@ControllerConfiguration(
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = SpecOrRunNowChanged.class),
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class StreamingQueryReconciler implements Reconciler<StreamingQuery> {
  private static final StreamingQueryValidator VALIDATOR = StreamingQueryValidator.fromCrd();
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final String CHILD_SELECTOR = Labels.MANAGED_BY + "=" + Labels.OPERATOR;

  private final String runnerImage;
  private final Clock clock;
  private final ReconcileTracker tracker;

  @jakarta.inject.Inject
  public StreamingQueryReconciler(OperatorSettings settings, ReconcileTracker tracker) {
    this(settings.runnerImage(), Clock.systemUTC(), tracker);
  }

  StreamingQueryReconciler(String runnerImage, Clock clock, ReconcileTracker tracker) {
    this.runnerImage = runnerImage;
    this.clock = clock;
    this.tracker = tracker;
  }

  @Override
  public List<EventSource<?, StreamingQuery>> prepareEventSources(
      EventSourceContext<StreamingQuery> context) {
    tracker.watching(() -> context.getPrimaryCache().list());
    // Only the operator's own children are cached (label selector): the cache stays small.
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(StatefulSet.class, StreamingQuery.class)
                .withLabelSelector(CHILD_SELECTOR)
                .build(),
            context),
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, StreamingQuery.class)
                .withLabelSelector(CHILD_SELECTOR)
                .build(),
            context),
        // Runner pods belong to a StatefulSet or a Job, not to the query: map them by label.
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, StreamingQuery.class)
                .withLabelSelector(CHILD_SELECTOR)
                .withSecondaryToPrimaryMapper(
                    pod ->
                        Set.of(
                            new ResourceID(
                                pod.getMetadata().getLabels().get(Labels.INSTANCE),
                                pod.getMetadata().getNamespace())))
                .build(),
            context));
  }

  @Override
  public UpdateControl<StreamingQuery> reconcile(
      StreamingQuery query, Context<StreamingQuery> context) {
    String id = query.getMetadata().getNamespace() + "/" + query.getMetadata().getName();
    tracker.started(id);
    try {
      return reconcileTracked(query, context);
    } finally {
      tracker.finished(id);
    }
  }

  private UpdateControl<StreamingQuery> reconcileTracked(
      StreamingQuery query, Context<StreamingQuery> context) {
    KubernetesClient client = context.getClient();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Observed observed =
        new Observed(
            context.getSecondaryResource(StatefulSet.class).orElse(null),
            List.copyOf(context.getSecondaryResources(Job.class)),
            context.getSecondaryResources(Pod.class).stream().toList());
    if (!StatusCalculator.isAvailableNow(query)) {
      observed =
          observed.withRestarts(
              RunnerRestarts.decide(query, RunnerFailures.of(observed.pods()), now));
    }
    List<String> errors = validate(query);
    String refusal = "InvalidSpec";
    Rollout rollout = null;
    if (errors.isEmpty()) {
      rollout = apply(client, query, observed, runningSpec(client, query), now);
      observed = rollout.observed();
      if (rollout.invalid() != null) {
        errors = List.of(rollout.invalid());
      } else if (rollout.change() != null && rollout.change().holds()) {
        errors = List.of(rollout.change().message());
        refusal = rollout.change().reason();
      }
    } else if (StatusCalculator.isAvailableNow(query)) {
      observed = observed.withRuns(latestRunOnly(observed.jobs()));
    }
    StreamingQueryStatus status =
        StatusCalculator.compute(
            query,
            observed,
            refusal,
            errors,
            rollout == null ? null : rollout.change(),
            now.toString());
    if (new StatusRecorder(client).record(query, status)) {
      EventRecorder events = new EventRecorder(client);
      TransitionEvents.between(query.getStatus(), status).forEach(e -> events.record(query, e));
    }
    String wakeUp =
        status.nextScheduleTime() != null
            ? status.nextScheduleTime()
            : status.restarts() != null ? status.restarts().nextRestartTime() : null;
    long after = freshnessRecheckMs(query);
    if (wakeUp != null) {
      // wake up for the next scheduled run or restart (a second late, so that it is due)
      Duration until = Duration.between(now, Instant.parse(wakeUp));
      after = Math.min(after, Math.max(1_000, until.plusSeconds(1).toMillis()));
    }
    return after == Long.MAX_VALUE
        ? UpdateControl.noUpdate()
        : UpdateControl.<StreamingQuery>noUpdate().rescheduleAfter(after);
  }

  /**
   * How soon the lag must be measured again for Fresh to flip in time: half of maxLag, between 5
   * and 30 seconds (the runners' progress does not trigger a reconcile); never without freshness.
   */
  static long freshnessRecheckMs(StreamingQuery query) {
    if (query.getSpec().freshness() == null
        || StatusCalculator.isAvailableNow(query)
        || Boolean.TRUE.equals(query.getSpec().suspend())) {
      return Long.MAX_VALUE;
    }
    long half = Durations.toMillis(query.getSpec().freshness().maxLag()) / 2;
    return Math.max(5_000, Math.min(30_000, half));
  }

  private static AvailableNowRuns.Outcome latestRunOnly(List<Job> jobs) {
    List<Run> runs = Run.of(jobs);
    return new AvailableNowRuns.Outcome(
        runs.isEmpty() ? List.of() : runs.get(runs.size() - 1).jobs(), null, null, null, null);
  }

  /**
   * The spec the runners run (the active generation's snapshot) when this generation is another:
   * what a change is compared with. Empty when nothing runs yet or the snapshot is gone.
   */
  static Optional<StreamingQuery> runningSpec(KubernetesClient client, StreamingQuery query) {
    var status = query.getStatus();
    if (status == null
        || status.activeGeneration() == null
        || status.activeGeneration() == generation(query)) {
      return Optional.empty();
    }
    var snapshot =
        client
            .configMaps()
            .inNamespace(query.getMetadata().getNamespace())
            .withName(ChildNames.snapshot(query.getMetadata().getName(), status.activeGeneration()))
            .get();
    if (snapshot == null || snapshot.getData() == null) {
      return Optional.empty();
    }
    return Optional.of(
        JSON.unmarshal(snapshot.getData().get(SpecSnapshot.FILE), StreamingQuery.class));
  }

  /** The CRD's schema and CEL rules, checked again: the CRD installed may be older. */
  static List<String> validate(StreamingQuery query) {
    JsonNode document = JSON.convertValue(query, JsonNode.class);
    ((com.fasterxml.jackson.databind.node.ObjectNode) document).remove("status");
    List<String> errors =
        new java.util.ArrayList<>(
            VALIDATOR.validate(document).errors().stream().map(ValidationError::toString).toList());
    // The CRD's pattern only shapes a schedule (five fields); a minute 61 or an unknown time
    // zone passes it and would otherwise fail every reconcile without a word in status.
    var trigger = query.getSpec() == null ? null : query.getSpec().trigger();
    if (errors.isEmpty()
        && trigger != null
        && trigger.availableNow() != null
        && trigger.availableNow().schedule() != null) {
      try {
        CronSchedule.parse(trigger.availableNow().schedule(), trigger.availableNow().timeZone());
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }

  /**
   * What a reconcile did with a valid spec.
   *
   * @param invalid Why the runner's validation refused the generation (null: it did not).
   * @param change The decision on a generation compared with the running one (null: undecided).
   */
  private record Rollout(Observed observed, String invalid, ChangeDecision change) {
    Rollout(Observed observed) {
      this(observed, null, null);
    }
  }

  private Rollout apply(
      KubernetesClient client,
      StreamingQuery query,
      Observed observed,
      Optional<StreamingQuery> running,
      Instant now) {
    // A query never reconciled has no children yet: create first, read only on a conflict.
    boolean fresh = query.getStatus() == null || query.getStatus().observedGeneration() == null;
    ChildWriter writer = new ChildWriter(client, fresh);
    // The runners' access and this generation's snapshot do not change while the generation
    // does not: once it was observed and its runners' StatefulSet exists, a reconcile (a pod's
    // change, the periodic resync) writes only the StatefulSet, not four children each time.
    boolean settled =
        !fresh
            && observed.statefulSet() != null
            && query.getStatus().observedGeneration() == generation(query);
    if (!settled
        && RunnerAccess.serviceAccountName(query)
            .equals(ChildNames.runner(query.getMetadata().getName()))) {
      writer.apply(RunnerAccess.serviceAccount(query));
      writer.apply(RunnerAccess.role(query));
      writer.apply(RunnerAccess.roleBinding(query));
    }
    if (!settled) {
      writer.createIfAbsent(SpecSnapshot.build(query));
    }
    if (generation(query) > 1) { // generation 1 has no older snapshot
      deleteOldSnapshots(client, query, observed.pods());
    }
    boolean availableNow = StatusCalculator.isAvailableNow(query);
    // while a change waits, an available-now query starts no run and keeps its last one in status
    Observed held = availableNow ? observed.withRuns(latestRunOnly(observed.jobs())) : observed;
    Long active = query.getStatus() == null ? null : query.getStatus().activeGeneration();
    List<String> reasons =
        running.map(r -> SpecChanges.incompatibilities(r, query)).orElse(List.of());
    boolean queryChanged = running.map(r -> !SpecChanges.sameQuery(r, query)).orElse(true);
    if (active != null && active != generation(query) && queryChanged) {
      // Runners have run another generation: check this one first, with the runner's own
      // validate and compatibility rules, so that a query the runner would refuse never
      // replaces them.
      Job check = SpecValidationJob.build(query, runnerImage, running.isPresent() ? active : null);
      Job known =
          observed.jobs().stream()
              .filter(j -> j.getMetadata().getName().equals(check.getMetadata().getName()))
              .findFirst()
              .orElseGet(() -> writer.createIfAbsent(check));
      ValidationOutcome outcome = ValidationOutcome.of(known, observed.pods());
      switch (outcome.state()) {
        case RUNNING:
          return new Rollout(held.validating());
        case INVALID:
          return new Rollout(held, outcome.message(), null);
        case INCOMPATIBLE:
          reasons = outcome.reasons();
          break;
        case PASSED:
          break;
      }
    }
    ChangeDecision change = EvolutionPolicy.decide(query, reasons);
    if (change.holds()) {
      return new Rollout(held, null, change);
    }
    CheckpointReset reset = change.reset() != null ? change.reset() : resetOf(query);
    if (availableNow) {
      return new Rollout(
          observed.withRuns(
              AvailableNowRuns.reconcile(
                  client,
                  writer,
                  query,
                  runnerImage,
                  observed.jobs(),
                  observed.pods(),
                  now,
                  reset)),
          null,
          change);
    }
    return new Rollout(
        observed.withStatefulSet(
            writer.apply(
                RunnerStatefulSet.build(
                    query,
                    runnerImage,
                    observed.restarts() != null && observed.restarts().runnersStopped(),
                    reset),
                observed.statefulSet())),
        null,
        change);
  }

  /** The reset this generation rolled out with, while it is the current one (from status). */
  private static CheckpointReset resetOf(StreamingQuery query) {
    CheckpointReset last = query.getStatus() == null ? null : query.getStatus().lastReset();
    return last != null && last.generation() != null && last.generation() == generation(query)
        ? last
        : null;
  }

  /**
   * Snapshots of generations nothing runs any more: all but this generation's, the active one's,
   * and those a runner pod still mounts (while this generation rolls out).
   */
  private static void deleteOldSnapshots(
      KubernetesClient client, StreamingQuery query, List<Pod> pods) {
    Long active = query.getStatus() == null ? null : query.getStatus().activeGeneration();
    Set<String> keep = new java.util.HashSet<>();
    keep.add(ChildNames.snapshot(query.getMetadata().getName(), generation(query)));
    if (active != null) {
      keep.add(ChildNames.snapshot(query.getMetadata().getName(), active));
    }
    // runner pods only: a validation pod also mounts the running generation's snapshot, and stays
    // (ended) until its Job's TTL
    pods.stream()
        .filter(
            p ->
                !SpecValidationJob.COMPONENT.equals(
                    p.getMetadata().getLabels().get(Labels.COMPONENT)))
        .filter(p -> p.getSpec() != null && p.getSpec().getVolumes() != null)
        .flatMap(p -> p.getSpec().getVolumes().stream())
        .filter(v -> v.getConfigMap() != null)
        .forEach(v -> keep.add(v.getConfigMap().getName()));
    client
        .configMaps()
        .inNamespace(query.getMetadata().getNamespace())
        .withLabels(Labels.selector(query, SpecSnapshot.COMPONENT))
        .list()
        .getItems()
        .stream()
        .filter(c -> !keep.contains(c.getMetadata().getName()))
        .forEach(c -> client.resource(c).delete());
  }

  static long generation(StreamingQuery query) {
    Long generation = query.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
