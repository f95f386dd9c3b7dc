package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the runners say while a source or sink is unavailable: their progress message reads
 * "Retrying batch N in D ms: REASON" (naming the service and host). Without the delay, which
 * changes with every attempt, it is what conditions show and what starts a reconcile when it
 * appears, changes or clears.
 */
public final class RunnerRetries {
  private static final String PREFIX = "Retrying batch ";

  private RunnerRetries() {}

  /** Each retrying replica's reason (without the delay), by replica. */
  public static Map<String, String> byReplica(StreamingQueryStatus status) {
    Map<String, String> retrying = new TreeMap<>();
    if (status != null && status.progress() != null) {
      status
          .progress()
          .forEach(
              (replica, progress) -> {
                String message = progress == null ? null : progress.message();
                if (message != null && message.startsWith(PREFIX)) {
                  retrying.put(replica, message.replaceFirst(" in \\d+ ms: ", ": "));
                }
              });
    }
    return retrying;
  }

  /** The first retrying replica's reason, for a condition's message. */
  static Optional<String> reason(StreamingQueryStatus status) {
    return byReplica(status).entrySet().stream()
        .findFirst()
        .map(e -> "runner " + e.getKey() + ": " + e.getValue());
  }
}
