package dev.streamloop.operator;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.operator.status.RunnerRetries;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which updates of a StreamingQuery start a reconcile: a new generation (a spec change), a new
 * run-now annotation, a deletion, a runner's new start (a new run id in its progress, from which
 * the operator records queryId and runId), a runner that starts or stops waiting for an unavailable
 * source or sink (its reason shows in the conditions). Not other status writes: the runners patch
 * their progress every few seconds and the operator must not reconcile each time (the reconcile
 * after a status change of a child comes from the child's own event). JOSDK's generation-aware
 * filtering is switched off for this filter, because it would drop the annotation change.
 */
public class SpecOrRunNowChanged implements OnUpdateFilter<StreamingQuery> {
  @Override
  public boolean accept(StreamingQuery updated, StreamingQuery old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !Objects.equals(runNow(updated), runNow(old))
        || updated.getMetadata().getDeletionTimestamp() != null
        || !Objects.equals(runIds(updated), runIds(old))
        || !Objects.equals(
            RunnerRetries.byReplica(updated.getStatus()), RunnerRetries.byReplica(old.getStatus()));
  }

  private static Map<String, String> runIds(StreamingQuery query) {
    Map<String, String> ids = new TreeMap<>();
    if (query.getStatus() != null && query.getStatus().progress() != null) {
      query.getStatus().progress().forEach((replica, p) -> ids.put(replica, p.runId()));
    }
    return ids;
  }

  private static String runNow(StreamingQuery query) {
    var annotations = query.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(AvailableNowRuns.RUN_NOW);
  }
}
