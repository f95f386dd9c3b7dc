package dev.streamloop.operator.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Optional;

/**
 * The batches and rows of a run, from its runners' termination messages, whose last line is the
 * runner's summary ({"batches":B,"numInputRows":R,...}; see the runner's RunSummary). A runner that
 * was retried contributes every attempt; the run's batches are its busiest runner's (runners work
 * side by side), its rows the sum over all.
 *
 * @param batches Batches the run ran.
 * @param numInputRows Rows it read.
 */
public record RunFigures(long batches, long numInputRows) {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** The figures of the pods of {@code jobs}, if any pod has ended with a summary. */
  public static Optional<RunFigures> of(List<Job> jobs, List<Pod> pods) {
    long batches = 0;
    long rows = 0;
    boolean any = false;
    for (Job job : jobs) {
      long jobBatches = 0;
      for (Pod pod : pods) {
        var labels = pod.getMetadata().getLabels();
        if (labels == null || !job.getMetadata().getName().equals(labels.get("job-name"))) {
          continue;
        }
        Optional<RunFigures> figures = summary(pod);
        if (figures.isPresent()) {
          any = true;
          jobBatches += figures.get().batches();
          rows += figures.get().numInputRows();
        }
      }
      batches = Math.max(batches, jobBatches);
    }
    return any ? Optional.of(new RunFigures(batches, rows)) : Optional.empty();
  }

  static Optional<RunFigures> summary(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
      ContainerStateTerminated ended =
          container.getState() == null ? null : container.getState().getTerminated();
      if (ended == null || ended.getMessage() == null) {
        continue;
      }
      String[] lines = ended.getMessage().strip().split("\n");
      String last = lines[lines.length - 1].strip();
      if (!last.startsWith("{")) {
        continue;
      }
      try {
        JsonNode node = JSON.unmarshal(last, JsonNode.class);
        if (node.path("batches").canConvertToLong()
            && node.path("numInputRows").canConvertToLong()) {
          return Optional.of(
              new RunFigures(node.get("batches").asLong(), node.get("numInputRows").asLong()));
        }
      } catch (RuntimeException e) {
        // not a summary (a message cut by the kubelet's 4 KiB limit): no figures
      }
    }
    return Optional.empty();
  }
}
