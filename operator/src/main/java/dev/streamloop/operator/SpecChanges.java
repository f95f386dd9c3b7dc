package dev.streamloop.operator;

import dev.streamloop.api.v1alpha1.SourceSpec;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.operator.desired.RunnerPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether the running checkpoint can serve a spec change, as far as the operator can tell without
 * the runner (docs/operator.md, spec changes): a different set of sources (the offsets belong to
 * the old ones, as in Spark; their order may change, the runner matches them to the checkpoint by
 * name), a source whose kind changed, and a different parallelism over file or Kafka sources (each
 * runner's checkpoint holds the offsets of its share of the input). An edit of the query itself is
 * classified by the runner's own rules in the validation Job, whose verdict replaces these reasons;
 * these decide alone when only pod-level fields and parallelism changed. Either way the reasons go
 * to spec.evolution's policy. A new spec.checkpoint.resetNonce (a fresh checkpoint) accepts
 * anything.
 */
public final class SpecChanges {
  private SpecChanges() {}

  /** Why {@code next} cannot run on {@code running}'s checkpoint; empty if it can. */
  public static List<String> incompatibilities(StreamingQuery running, StreamingQuery next) {
    List<String> problems = new ArrayList<>();
    if (!Objects.equals(resetNonce(running), resetNonce(next))) {
      return problems; // a fresh checkpoint accepts anything
    }
    Set<String> before = names(running);
    Set<String> after = names(next);
    if (!before.equals(after)) {
      problems.add(
          "spec.sources: the sources changed from "
              + before
              + " to "
              + after
              + ", but the checkpoint holds the offsets of the old ones; restore them, or change"
              + " spec.checkpoint.resetNonce to start from a fresh checkpoint (the old one stays on"
              + " the volume)");
    }
    Map<String, String> kinds = kinds(running);
    kinds(next)
        .forEach(
            (name, kind) -> {
              String was = kinds.get(name);
              if (was != null && !was.equals(kind)) {
                problems.add(
                    "spec.sources: source "
                        + name
                        + " was a "
                        + was
                        + " source and is now a "
                        + kind
                        + " source, but the checkpoint holds its "
                        + was
                        + " offsets; give it a new name and change spec.checkpoint.resetNonce to"
                        + " start from a fresh checkpoint");
              }
            });
    if (!Objects.equals(RunnerPod.parallelism(running), RunnerPod.parallelism(next))
        && partitioned(next)) {
      problems.add(
          "spec.parallelism: changing it from "
              + RunnerPod.parallelism(running)
              + " to "
              + RunnerPod.parallelism(next)
              + " would give each runner a different share of the file or Kafka input than its"
              + " checkpoint holds; keep "
              + RunnerPod.parallelism(running)
              + ", or change"
              + " spec.checkpoint.resetNonce to start from a fresh checkpoint");
    }
    return problems;
  }

  /**
   * Whether the runner's validation has nothing new to check: the sources, SQL, sinks, output mode,
   * trigger and bad-record policy are those of the running generation, which passed it. Suspend,
   * restarts, resources and the like then roll out at once, without a validation Job.
   */
  public static boolean sameQuery(StreamingQuery running, StreamingQuery next) {
    var a = running.getSpec();
    var b = next.getSpec();
    return Objects.equals(a.sources(), b.sources())
        && Objects.equals(a.query(), b.query())
        && Objects.equals(a.sinks(), b.sinks())
        && Objects.equals(a.outputMode(), b.outputMode())
        && Objects.equals(a.trigger(), b.trigger())
        && Objects.equals(a.badRecords(), b.badRecords());
  }

  /** The streams' names: a static table has no offsets in the checkpoint, and may come and go. */
  private static Set<String> names(StreamingQuery query) {
    Set<String> names = new TreeSet<>();
    query.getSpec().sources().stream().filter(s -> !s.isStatic()).forEach(s -> names.add(s.name()));
    return names;
  }

  /** Each stream's kind by name; the order of the sources does not matter (see the runner). */
  private static Map<String, String> kinds(StreamingQuery query) {
    Map<String, String> kinds = new TreeMap<>();
    for (SourceSpec source : query.getSpec().sources()) {
      if (source.isStatic()) {
        continue;
      }
      kinds.put(
          source.name(),
          source.kafka() != null ? "kafka" : source.rate() != null ? "rate" : "file");
    }
    return kinds;
  }

  private static boolean partitioned(StreamingQuery query) {
    return query.getSpec().sources().stream().anyMatch(SpecChanges::partitioned);
  }

  /** Whether runners share the source's input (every runner reads a static table whole). */
  private static boolean partitioned(SourceSpec source) {
    return (source.file() != null && !source.isStatic()) || source.kafka() != null;
  }

  private static long resetNonce(StreamingQuery query) {
    var checkpoint = query.getSpec().checkpoint();
    return checkpoint == null || checkpoint.resetNonce() == null ? 0 : checkpoint.resetNonce();
  }
}
