package dev.streamloop.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/**
 * What exists of a query's runners when a reconcile starts.
 *
 * @param statefulSet The runners of a continuous query, or null.
 * @param jobs The Jobs of the current available-now run.
 * @param pods The runner pods (of the StatefulSet or of the Jobs).
 */
public record Observed(StatefulSet statefulSet, List<Job> jobs, List<Pod> pods) {
  public Observed withStatefulSet(StatefulSet sts) {
    return new Observed(sts, jobs, pods);
  }

  public Observed withJobs(List<Job> current) {
    return new Observed(statefulSet, current, pods);
  }
}
