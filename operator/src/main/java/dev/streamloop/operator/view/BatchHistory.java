package dev.streamloop.operator.view;

import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent batches of each query, for the web view's charts: status holds only each runner's last
 * batch, so every status the informer delivers adds its runners' new batches here (at most {@value
 * #LIMIT} a query, newest last). Kept in memory only while the web view is on; a restarted operator
 * starts with empty charts, filled as batches come.
 */
final class BatchHistory {
  static final int LIMIT = 120;

  /** One batch of one runner. */
  record Batch(String replica, QueryProgress progress) {}

  private final Map<String, Deque<Batch>> batches = new ConcurrentHashMap<>();

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** Adds the batches in {@code query}'s status that are not there yet. */
  void observe(StreamingQuery query) {
    if (query.getStatus() == null || query.getStatus().progress() == null) {
      return;
    }
    Deque<Batch> recent =
        batches.computeIfAbsent(
            key(query.getMetadata().getNamespace(), query.getMetadata().getName()),
            k -> new ArrayDeque<>());
    synchronized (recent) {
      query
          .getStatus()
          .progress()
          .forEach(
              (replica, progress) -> {
                if (progress.batchId() == null || seen(recent, replica, progress)) {
                  return;
                }
                recent.addLast(new Batch(replica, progress));
                while (recent.size() > LIMIT) {
                  recent.removeFirst();
                }
              });
    }
  }

  private static boolean seen(Deque<Batch> recent, String replica, QueryProgress progress) {
    for (Batch b : recent) {
      if (b.replica().equals(replica)
          && b.progress().batchId().equals(progress.batchId())
          && java.util.Objects.equals(b.progress().runId(), progress.runId())) {
        return true;
      }
    }
    return false;
  }

  void forget(StreamingQuery query) {
    batches.remove(key(query.getMetadata().getNamespace(), query.getMetadata().getName()));
  }

  List<Batch> of(String namespace, String name) {
    Deque<Batch> recent = batches.get(key(namespace, name));
    if (recent == null) {
      return List.of();
    }
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }
}
