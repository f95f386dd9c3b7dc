package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.StateSpec;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQuerySpec;
import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.checkpoint.CheckpointManifest;
import dev.streamloop.engine.checkpoint.CheckpointManifest.SourceIdentity;
import dev.streamloop.engine.checkpoint.SourceSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an edit of a StreamingQuery does to its running checkpoint, decided before anything runs:
 * the verdict {@code streamloop diff} prints. The rules follow Spark's "recovery semantics after
 * changes in a streaming query", allowing more where the checkpoint makes it safe (sources are
 * matched by name, so their order may change).
 */
final class QueryChange {
  private QueryChange() {}

  /** The classes of edits. */
  enum Kind {
    /** Nothing the runner computes changes (pod-level fields, suspend, restart nonces). */
    InPlace,
    /** New SQL, sinks or trigger that keep the sources' offsets and the state. */
    RestartFromCheckpoint,
    /** spec.checkpoint.resetNonce changed: the new generation starts from an empty checkpoint. */
    RestartFromEmptyCheckpoint,
    /** The checkpoint cannot serve the new spec; the reasons say why. */
    StateIncompatible
  }

  record Verdict(Kind kind, List<String> reasons) {
    /** The verdict, then each reason indented: what diff prints and the operator reads. */
    void print(java.io.PrintStream out) {
      out.println(kind);
      reasons.forEach(r -> out.println("  " + r));
    }

    /** 1 when the checkpoint cannot serve the edit, 0 otherwise. */
    int exitCode() {
      return kind == Kind.StateIncompatible ? DiffCommand.INCOMPATIBLE : ExitCodes.OK;
    }
  }

  /** {@code next} against the spec {@code running} that wrote the checkpoint. */
  static Verdict classify(StreamingQuery running, StreamingQuery next)
      throws InvalidQueryException {
    StreamingQuerySpec a = running.getSpec();
    StreamingQuerySpec b = next.getSpec();
    BatchQuery compiled = QueryAssembler.compileChecked(next);
    if (resetNonce(a) != resetNonce(b)) {
      return new Verdict(
          Kind.RestartFromEmptyCheckpoint,
          List.of("spec.checkpoint.resetNonce changed: every source is read from its start"));
    }
    List<String> reasons = new ArrayList<>();
    reasons.addAll(sources(CheckpointSources.manifest(a), b));
    reasons.addAll(
        state(
            stateSchema(QueryAssembler.compileChecked(running)),
            QueryAssembler.outputMode(a).name(),
            compiled,
            b));
    if (!Objects.equals(parallelism(a), parallelism(b))
        && b.sources().stream().anyMatch(s -> s.rate() == null)) {
      reasons.add(
          "spec.parallelism: "
              + parallelism(a)
              + " to "
              + parallelism(b)
              + " would give each runner another share of the file or Kafka input than its"
              + " checkpoint holds");
    }
    if (!reasons.isEmpty()) {
      return new Verdict(Kind.StateIncompatible, reasons);
    }
    boolean sameQuery =
        Objects.equals(a.sources(), b.sources())
            && Objects.equals(a.query(), b.query())
            && Objects.equals(a.sinks(), b.sinks())
            && Objects.equals(a.outputMode(), b.outputMode())
            && Objects.equals(a.trigger(), b.trigger())
            && Objects.equals(a.badRecords(), b.badRecords());
    if (!Objects.equals(a.rewind(), b.rewind()) && b.rewind() != null) {
      return new Verdict(
          Kind.RestartFromCheckpoint,
          List.of("spec.rewind: the runners replay from " + b.rewind().runnerArgument()));
    }
    if (StateSpec.store(a) != StateSpec.store(b)) {
      return new Verdict(
          Kind.RestartFromCheckpoint,
          List.of(
              "spec.state.store: "
                  + storeName(a)
                  + " to "
                  + storeName(b)
                  + ": the runners copy the state into the new store when they start"));
    }
    return new Verdict(sameQuery ? Kind.InPlace : Kind.RestartFromCheckpoint, List.of());
  }

  private static String storeName(StreamingQuerySpec spec) {
    return StateSpec.store(spec).name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * {@code next} against a checkpoint: its manifest's sources, and the state it holds ({@code
   * stateSchema}, null without state).
   */
  static Verdict classify(CheckpointManifest manifest, String stateSchema, StreamingQuery next)
      throws InvalidQueryException {
    BatchQuery compiled = QueryAssembler.compileChecked(next);
    List<String> reasons = new ArrayList<>(sources(manifest, next.getSpec()));
    reasons.addAll(state(stateSchema, manifest.outputMode(), compiled, next.getSpec()));
    return new Verdict(
        reasons.isEmpty() ? Kind.RestartFromCheckpoint : Kind.StateIncompatible, reasons);
  }

  private static List<String> sources(CheckpointManifest manifest, StreamingQuerySpec next) {
    List<SourceIdentity> sources = CheckpointSources.identities(next);
    List<String> problems = SourceSlots.problems(manifest, sources);
    return problems.isEmpty()
        ? List.of()
        : List.of(
            "spec.sources: "
                + String.join(", ", problems)
                + " (the checkpoint holds the offsets of "
                + manifest.sources()
                + ")");
  }

  private static List<String> state(
      String kept, String keptMode, BatchQuery compiled, StreamingQuerySpec next) {
    String now = stateSchema(compiled);
    String mode = QueryAssembler.outputMode(next).name();
    if (kept == null && now == null) {
      return List.of();
    }
    if (kept == null) {
      return List.of(
          "spec.query: the query now keeps state (an aggregation) that the checkpoint does not"
              + " hold: it would aggregate only the rows read from now on");
    }
    if (now == null) {
      return List.of(); // the old state is left unused, as in Spark when a stateful operator goes
    }
    List<String> reasons = new ArrayList<>();
    compiled.stateDifferences(kept).stream()
        .map(difference -> "spec.query: the aggregation changed: " + difference)
        .forEach(reasons::add);
    if (!keptMode.isEmpty() && !keptMode.equals(mode)) {
      reasons.add(
          "spec.outputMode: "
              + keptMode.toLowerCase()
              + " to "
              + mode.toLowerCase()
              + " on an aggregation: what was emitted and what the state holds differ by mode");
    }
    return reasons;
  }

  private static String stateSchema(BatchQuery compiled) {
    return compiled.stateSchema();
  }

  private static long resetNonce(StreamingQuerySpec spec) {
    return spec.checkpoint() == null || spec.checkpoint().resetNonce() == null
        ? 0
        : spec.checkpoint().resetNonce();
  }

  private static Integer parallelism(StreamingQuerySpec spec) {
    return spec.parallelism() == null ? 1 : spec.parallelism();
  }
}
