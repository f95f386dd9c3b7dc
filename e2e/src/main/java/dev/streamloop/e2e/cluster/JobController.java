package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Job controller: pods up to {@code parallelism} until {@code completions} succeed (one per
 * index for Indexed Jobs, with {@code JOB_COMPLETION_INDEX}), failed pods counted against {@code
 * backoffLimit}, {@code podFailurePolicy} rules on exit codes (FailJob, Ignore, Count), {@code
 * suspend}, the Complete and Failed conditions, and {@code ttlSecondsAfterFinished}.
 */
final class JobController {
  private final KubernetesClient client;

  JobController(KubernetesClient client) {
    this.client = client;
  }

  void reconcile() {
    List<Pod> allPods = client.pods().inAnyNamespace().list().getItems();
    for (Job job : client.batch().v1().jobs().inAnyNamespace().list().getItems()) {
      reconcile(job, Owners.ownedBy(allPods, job), Instant.now());
    }
  }

  private void reconcile(Job job, List<Pod> pods, Instant now) {
    JobStatus old = job.getStatus() == null ? new JobStatus() : job.getStatus();
    if (finished(old)) {
      Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
      String at = old.getCompletionTime() != null ? old.getCompletionTime() : lastTransition(old);
      if (ttl != null && at != null && now.isAfter(Instant.parse(at).plusSeconds(ttl))) {
        client.resource(job).delete();
      }
      return;
    }
    var spec = job.getSpec();
    boolean indexed = "Indexed".equals(spec.getCompletionMode());
    int completions = spec.getCompletions() == null ? 1 : spec.getCompletions();
    int parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
    int backoffLimit = spec.getBackoffLimit() == null ? 6 : spec.getBackoffLimit();
    List<Pod> active = pods.stream().filter(p -> !ended(p)).toList();
    List<Pod> succeeded = pods.stream().filter(p -> "Succeeded".equals(phase(p))).toList();
    List<Pod> failed = new ArrayList<>();
    String failJob = null;
    for (Pod pod : pods.stream().filter(p -> "Failed".equals(phase(p))).toList()) {
      String action = failureAction(job, pod);
      if (action.equals("FailJob")) {
        failJob = "Pod " + pod.getMetadata().getName() + " failed with a rule of podFailurePolicy";
      }
      if (!action.equals("Ignore")) {
        failed.add(pod);
      }
    }
    TreeSet<Integer> doneIndexes = new TreeSet<>();
    succeeded.forEach(p -> doneIndexes.add(index(p)));
    boolean complete =
        indexed ? doneIndexes.size() >= completions : succeeded.size() >= completions;
    JobCondition end = null;
    if (failJob != null) {
      end = condition("Failed", "PodFailurePolicy", failJob, now);
    } else if (failed.size() > backoffLimit) {
      end =
          condition(
              "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
    } else if (complete) {
      end = condition("Complete", null, null, now);
    }
    boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
    if (end != null || suspended) {
      active.forEach(p -> client.resource(p).delete());
      active = List.of();
    } else {
      int missing =
          Math.min(parallelism, completions - (indexed ? doneIndexes.size() : succeeded.size()));
      List<Integer> busy = active.stream().map(JobController::index).toList();
      for (int i = 0, started = active.size(); started < missing && i < completions; i++) {
        if (indexed && (doneIndexes.contains(i) || busy.contains(i))) {
          continue;
        }
        client.resource(pod(job, indexed ? i : null)).create();
        started++;
      }
    }
    JobStatus status =
        new JobStatusBuilder(old)
            .withActive(active.size())
            .withSucceeded(succeeded.size())
            .withFailed(failed.size())
            .withReady((int) active.stream().filter(StatefulSetController::ready).count())
            .withStartTime(old.getStartTime() != null ? old.getStartTime() : now.toString())
            .withCompletedIndexes(indexed ? ranges(doneIndexes) : null)
            .build();
    if (end != null) {
      List<JobCondition> conditions = new ArrayList<>(nullSafe(old.getConditions()));
      conditions.add(end);
      status.setConditions(conditions);
      if (end.getType().equals("Complete")) {
        status.setCompletionTime(now.toString());
      }
    }
    if (!status.equals(job.getStatus())) {
      job.setStatus(status);
      Owners.writeStatus(client, job);
    }
  }

  /** The podFailurePolicy action for a failed pod (Count when no rule matches). */
  private static String failureAction(Job job, Pod pod) {
    var policy = job.getSpec().getPodFailurePolicy();
    Optional<ContainerStateTerminated> ended =
        nullSafe(pod.getStatus().getContainerStatuses()).stream()
            .map(c -> c.getState() == null ? null : c.getState().getTerminated())
            .filter(t -> t != null)
            .findFirst();
    if (policy == null || ended.isEmpty()) {
      return "Count";
    }
    for (PodFailurePolicyRule rule : nullSafe(policy.getRules())) {
      var codes = rule.getOnExitCodes();
      if (codes == null) {
        continue;
      }
      boolean in = codes.getValues().contains(ended.get().getExitCode());
      if ("In".equals(codes.getOperator()) == in) {
        return rule.getAction();
      }
    }
    return "Count";
  }

  private static Pod pod(Job job, Integer index) {
    var template = job.getSpec().getTemplate();
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    String jobName = job.getMetadata().getName();
    labels.put("job-name", jobName);
    labels.put("batch.kubernetes.io/job-name", jobName);
    labels.put("controller-uid", job.getMetadata().getUid());
    labels.put("batch.kubernetes.io/controller-uid", job.getMetadata().getUid());
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getAnnotations() != null) {
      annotations.putAll(template.getMetadata().getAnnotations());
    }
    String suffix =
        Integer.toString(
            ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36, 36 * 36 * 36 * 36 * 36), 36);
    String name = jobName + (index == null ? "" : "-" + index) + "-" + suffix;
    if (index != null) {
      labels.put("batch.kubernetes.io/job-completion-index", String.valueOf(index));
      annotations.put("batch.kubernetes.io/job-completion-index", String.valueOf(index));
    }
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .withOwnerReferences(StatefulSetController.owner(job))
            .endMetadata()
            .withSpec(Serialization.clone(template.getSpec()))
            .build();
    pod.getSpec().setNodeName("local");
    if (index != null) {
      pod.getSpec()
          .getContainers()
          .forEach(
              c ->
                  c.getEnv()
                      .add(
                          new EnvVarBuilder()
                              .withName("JOB_COMPLETION_INDEX")
                              .withValue(String.valueOf(index))
                              .build()));
    }
    return pod;
  }

  private static int index(Pod pod) {
    String index =
        pod.getMetadata().getLabels() == null
            ? null
            : pod.getMetadata().getLabels().get("batch.kubernetes.io/job-completion-index");
    return index == null ? -1 : Integer.parseInt(index);
  }

  /** Completed indexes as the API writes them: "0-2,5". */
  static String ranges(TreeSet<Integer> indexes) {
    List<String> parts = new ArrayList<>();
    Integer start = null;
    Integer previous = null;
    for (int i : indexes) {
      if (start != null && i == previous + 1) {
        previous = i;
        continue;
      }
      if (start != null) {
        parts.add(start.equals(previous) ? "" + start : start + "-" + previous);
      }
      start = i;
      previous = i;
    }
    if (start != null) {
      parts.add(start.equals(previous) ? "" + start : start + "-" + previous);
    }
    return parts.isEmpty() ? null : String.join(",", parts);
  }

  static boolean finished(JobStatus status) {
    return nullSafe(status.getConditions()).stream()
        .anyMatch(
            c ->
                ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                    && "True".equals(c.getStatus()));
  }

  private static String lastTransition(JobStatus status) {
    return nullSafe(status.getConditions()).stream()
        .map(JobCondition::getLastTransitionTime)
        .reduce((a, b) -> b)
        .orElse(null);
  }

  private static JobCondition condition(String type, String reason, String message, Instant now) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(now.toString())
        .withLastTransitionTime(now.toString())
        .build();
  }

  private static boolean ended(Pod pod) {
    return List.of("Succeeded", "Failed").contains(phase(pod));
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
