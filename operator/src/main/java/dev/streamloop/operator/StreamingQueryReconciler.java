package dev.streamloop.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.api.validation.StreamingQueryValidator;
import dev.streamloop.api.validation.ValidationError;
import dev.streamloop.operator.desired.CheckpointClaims;
import dev.streamloop.operator.desired.ChildNames;
import dev.streamloop.operator.desired.Labels;
import dev.streamloop.operator.desired.RunnerAccess;
import dev.streamloop.operator.desired.RunnerJob;
import dev.streamloop.operator.desired.RunnerStatefulSet;
import dev.streamloop.operator.desired.SpecSnapshot;
import dev.streamloop.operator.status.EventRecorder;
import dev.streamloop.operator.status.StatusCalculator;
import dev.streamloop.operator.status.StatusRecorder;
import dev.streamloop.operator.status.TransitionEvents;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a StreamingQuery: observe its runners, validate the spec, build and write the children
 * of a valid spec, record the status. An invalid spec changes no child, so the last valid
 * generation keeps running.
 */
@ControllerConfiguration(
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class StreamingQueryReconciler implements Reconciler<StreamingQuery> {
  private static final StreamingQueryValidator VALIDATOR = StreamingQueryValidator.fromCrd();
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final String CHILD_SELECTOR = Labels.MANAGED_BY + "=" + Labels.OPERATOR;

  private final String runnerImage;

  public StreamingQueryReconciler(OperatorSettings settings) {
    this(settings.runnerImage());
  }

  StreamingQueryReconciler(String runnerImage) {
    this.runnerImage = runnerImage;
  }

  @Override
  public List<EventSource<?, StreamingQuery>> prepareEventSources(
      EventSourceContext<StreamingQuery> context) {
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
    KubernetesClient client = context.getClient();
    Observed observed =
        new Observed(
            context.getSecondaryResource(StatefulSet.class).orElse(null),
            context.getSecondaryResources(Job.class).stream()
                .filter(j -> runOf(j) == generation(query))
                .toList(),
            List.copyOf(context.getSecondaryResources(Pod.class)));
    List<String> errors = validate(query);
    if (errors.isEmpty()) {
      observed = apply(client, query, observed);
    }
    StreamingQueryStatus status =
        StatusCalculator.compute(
            query, observed, errors, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    if (new StatusRecorder(client).record(query, status)) {
      EventRecorder events = new EventRecorder(client);
      TransitionEvents.between(query.getStatus(), status).forEach(e -> events.record(query, e));
    }
    return UpdateControl.noUpdate();
  }

  /** The CRD's schema and CEL rules, checked again: the CRD installed may be older. */
  static List<String> validate(StreamingQuery query) {
    JsonNode document = JSON.convertValue(query, JsonNode.class);
    ((com.fasterxml.jackson.databind.node.ObjectNode) document).remove("status");
    return VALIDATOR.validate(document).errors().stream().map(ValidationError::toString).toList();
  }

  private Observed apply(KubernetesClient client, StreamingQuery query, Observed observed) {
    ChildWriter writer = new ChildWriter(client);
    if (RunnerAccess.serviceAccountName(query)
        .equals(ChildNames.runner(query.getMetadata().getName()))) {
      writer.createOrUpdate(RunnerAccess.serviceAccount(query));
      writer.createOrUpdate(RunnerAccess.role(query));
      writer.createOrUpdate(RunnerAccess.roleBinding(query));
    }
    writer.createIfAbsent(SpecSnapshot.build(query));
    if (StatusCalculator.isAvailableNow(query)) {
      CheckpointClaims.build(query).forEach(writer::createIfAbsent);
      List<Job> jobs = new ArrayList<>();
      for (Job job : RunnerJob.build(query, runnerImage, generation(query))) {
        jobs.add(writer.createIfAbsent(job));
      }
      return observed.withJobs(jobs);
    }
    return observed.withStatefulSet(
        writer.createOrUpdate(RunnerStatefulSet.build(query, runnerImage)));
  }

  static long generation(StreamingQuery query) {
    Long generation = query.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private static long runOf(Job job) {
    String run =
        job.getMetadata().getLabels() == null
            ? null
            : job.getMetadata().getLabels().get(Labels.RUN);
    try {
      return run == null ? -1 : Long.parseLong(run);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
