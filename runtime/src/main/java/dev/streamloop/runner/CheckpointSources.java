package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.SinkSpec;
import dev.streamloop.api.v1alpha1.SourceSpec;
import dev.streamloop.api.v1alpha1.StreamingQuerySpec;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.checkpoint.CheckpointManifest;
import dev.streamloop.engine.checkpoint.CheckpointManifest.SourceIdentity;
import dev.streamloop.engine.checkpoint.SourceSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The order in which the engine gets a query's sources: the checkpoint's, matched by name, so that
 * reordering the spec's sources keeps each source's offsets with it. Records the manifest that says
 * so: a new checkpoint gets one, and so does one written before manifests existed (its positional
 * entries were written in the order of the spec that wrote it, which is the best knowledge there
 * is: the release that wrote it matched sources by position).
 */
final class CheckpointSources {
  private CheckpointSources() {}

  /** For each checkpoint position, the index of that source in {@code spec.sources}. */
  static List<Integer> arrange(StreamingQuerySpec spec, Checkpoint checkpoint) {
    List<SourceIdentity> sources = spec.sources().stream().map(CheckpointSources::of).toList();
    Optional<CheckpointManifest> recorded = checkpoint.manifest();
    List<Integer> order =
        recorded
            .map(m -> SourceSlots.arrange(checkpoint.manifestEntry(), m, sources))
            .orElseGet(() -> IntStream.range(0, sources.size()).boxed().toList());
    List<SourceIdentity> inCheckpointOrder = new ArrayList<>();
    order.forEach(i -> inCheckpointOrder.add(sources.get(i)));
    CheckpointManifest current = manifest(spec, inCheckpointOrder);
    if (recorded.isEmpty() || !recorded.get().equals(current)) {
      checkpoint.writeManifest(current);
    }
    return order;
  }

  /**
   * The manifest {@code spec} would write on a new checkpoint, which is also what a checkpoint
   * written before manifests holds (sources in spec order).
   */
  static CheckpointManifest manifest(StreamingQuerySpec spec) {
    return manifest(spec, spec.sources().stream().map(CheckpointSources::of).toList());
  }

  private static CheckpointManifest manifest(
      StreamingQuerySpec spec, List<SourceIdentity> sources) {
    return new CheckpointManifest(
        sources,
        QueryAssembler.outputMode(spec).name(),
        spec.sinks().stream().map(SinkSpec::name).toList());
  }

  static SourceIdentity of(SourceSpec source) {
    if (source.kafka() != null) {
      List<String> topics =
          source.kafka().topics() != null
              ? source.kafka().topics()
              : List.of("pattern " + source.kafka().topicPattern());
      return new SourceIdentity(source.name(), "kafka", topics);
    }
    return new SourceIdentity(source.name(), source.rate() != null ? "rate" : "file", List.of());
  }
}
