package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.Condition;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Kubernetes Events a status change deserves: one per condition that changed its status or
 * reason, Warning for trouble, Normal otherwise. A pure function; {@link EventRecorder} writes
 * them.
 */
public final class TransitionEvents {
  private TransitionEvents() {}

  /**
   * An event to record.
   *
   * @param type Normal or Warning.
   * @param reason CamelCase, the condition's reason.
   * @param message The condition's message.
   */
  public record Event(String type, String reason, String message) {}

  public static List<Event> between(StreamingQueryStatus before, StreamingQueryStatus after) {
    List<Event> events = new ArrayList<>();
    if (after.conditions() == null) {
      return events;
    }
    for (Condition now : after.conditions()) {
      Condition was = find(before, now.type());
      if (was != null
          && was.status() == now.status()
          && Objects.equals(was.reason(), now.reason())) {
        continue;
      }
      boolean stale =
          now.type().equals(Conditions.FRESH)
              && now.reason().equals(FreshnessConditions.LAG_ABOVE_MAX);
      boolean trouble =
          stale
              || (now.status() == Condition.Status.True
                  && (now.type().equals(Conditions.DEGRADED)
                      || now.type().equals(Conditions.FAILED)));
      boolean worthTelling =
          trouble
              || (now.status() == Condition.Status.True
                  && (now.type().equals(Conditions.READY)
                      || now.type().equals(Conditions.COMPLETE)))
              || (was != null
                  && was.status() == Condition.Status.True
                  && now.type().equals(Conditions.DEGRADED))
              || (was != null
                  && was.reason().equals(FreshnessConditions.LAG_ABOVE_MAX)
                  && now.type().equals(Conditions.FRESH)
                  && now.status() == Condition.Status.True);
      if (worthTelling) {
        String message =
            now.message() == null || now.message().isEmpty()
                ? now.type() + " is " + now.status()
                : now.message();
        events.add(new Event(trouble ? "Warning" : "Normal", now.reason(), message));
      }
    }
    CheckpointReset reset = after.lastReset();
    if (reset != null && (before == null || !Objects.equals(before.lastReset(), reset))) {
      events.add(
          new Event(
              "Normal",
              "CheckpointReset",
              "generation "
                  + reset.generation()
                  + " rolls out with the checkpoint's "
                  + (reset.scope() == CheckpointReset.Scope.All ? "data" : "state")
                  + " moved aside on the volume: "
                  + (reset.reasons() == null ? "" : String.join("; ", reset.reasons()))));
    }
    return events;
  }

  private static Condition find(StreamingQueryStatus status, String type) {
    if (status == null || status.conditions() == null) {
      return null;
    }
    return status.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }
}
