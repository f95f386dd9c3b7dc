package dev.streamloop.operator;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a StreamingQuery start a reconcile: a new generation (a spec change), a new
 * run-now annotation, a deletion. Not status writes: the runners patch their progress every few
 * seconds and the operator must not reconcile each time (the reconcile after a status change of a
 * child comes from the child's own event). JOSDK's generation-aware filtering is switched off for
 * this filter, because it would drop the annotation change.
 */
public class SpecOrRunNowChanged implements OnUpdateFilter<StreamingQuery> {
  @Override
  public boolean accept(StreamingQuery updated, StreamingQuery old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !Objects.equals(runNow(updated), runNow(old))
        || updated.getMetadata().getDeletionTimestamp() != null;
  }

  private static String runNow(StreamingQuery query) {
    var annotations = query.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(AvailableNowRuns.RUN_NOW);
  }
}
