package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.SinkSpec;
import dev.streamloop.api.v1alpha1.SourceSpec;
import dev.streamloop.api.v1alpha1.StateSpec;
import dev.streamloop.api.v1alpha1.StreamingQuerySpec;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.checkpoint.CheckpointManifest;
import dev.streamloop.engine.checkpoint.CheckpointManifest.SourceIdentity;
import dev.streamloop.engine.checkpoint.CheckpointManifest.StateOperator;
import dev.streamloop.engine.checkpoint.SourceSlots;
import dev.streamloop.engine.state.KeyGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order in which the engine gets a query's sources: the checkpoint's, matched by name, so that
 * reordering the spec's sources keeps each source's offsets with it. Records the manifest that says
 * so: a new checkpoint gets one, and so does one written before manifests existed (its positional
 * entries were written in the order of the spec that wrote it, which is the best knowledge there
 * is: the release that wrote it matched sources by position).
 */
final class CheckpointSources {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointSources.class);

  private CheckpointSources() {}

  /**
   * For each checkpoint position, the index of that source in {@code spec.sources}. A {@code
   * stateful} query's aggregation is listed as operator 0 with the checkpoint's key groups (the
   * recorded ones; the spec's or the default for a new checkpoint) and the spec's store.
   */
  static List<Integer> arrange(StreamingQuerySpec spec, Checkpoint checkpoint, boolean stateful) {
    List<Integer> streams = streamIndexes(spec);
    List<SourceIdentity> sources = identities(spec);
    Optional<CheckpointManifest> recorded = checkpoint.manifest();
    List<Integer> order =
        recorded
            .map(m -> SourceSlots.arrange(checkpoint.manifestEntry(), m, sources))
            .orElseGet(() -> IntStream.range(0, sources.size()).boxed().toList());
    List<SourceIdentity> inCheckpointOrder = new ArrayList<>();
    order.forEach(i -> inCheckpointOrder.add(sources.get(i)));
    CheckpointManifest current =
        manifest(
            spec,
            inCheckpointOrder,
            stateful
                ? List.of(aggregate(spec, recorded.flatMap(m -> m.stateOperator(0))))
                : List.of());
    if (recorded.isEmpty() || !recorded.get().equals(current)) {
      checkpoint.writeManifest(current);
    }
    return order.stream().map(streams::get).toList();
  }

  /**
   * The indexes in {@code spec.sources} of the streams: the sources with offsets in the checkpoint
   * (a static table is read whole, and has none).
   */
  static List<Integer> streamIndexes(StreamingQuerySpec spec) {
    return IntStream.range(0, spec.sources().size())
        .filter(i -> !spec.sources().get(i).isStatic())
        .boxed()
        .toList();
  }

  /** The streams as the checkpoint's manifest names them, in spec order. */
  static List<SourceIdentity> identities(StreamingQuerySpec spec) {
    return spec.sources().stream().filter(s -> !s.isStatic()).map(CheckpointSources::of).toList();
  }

  /**
   * The manifest {@code spec} would write on a new checkpoint, which is also what a checkpoint
   * written before manifests holds (sources in spec order).
   */
  static CheckpointManifest manifest(StreamingQuerySpec spec) {
    return manifest(spec, identities(spec), List.of());
  }

  private static CheckpointManifest manifest(
      StreamingQuerySpec spec, List<SourceIdentity> sources, List<StateOperator> operators) {
    return new CheckpointManifest(
        sources,
        QueryAssembler.outputMode(spec).name(),
        spec.sinks().stream().map(SinkSpec::name).toList(),
        operators);
  }

  /** The aggregation's entry: its recorded key groups win over the spec's (fixed for life). */
  private static StateOperator aggregate(
      StreamingQuerySpec spec, Optional<StateOperator> recorded) {
    int keyGroups =
        recorded
            .map(StateOperator::keyGroups)
            .orElse(
                spec.state() != null && spec.state().keyGroups() != null
                    ? spec.state().keyGroups()
                    : KeyGroups.DEFAULT_COUNT);
    if (recorded.isPresent()
        && spec.state() != null
        && spec.state().keyGroups() != null
        && spec.state().keyGroups() != keyGroups) {
      LOG.warn(
          "spec.state.keyGroups is {}, but the checkpoint was created with {} key groups, which"
              + " it keeps for its life (start from a new checkpoint to change them)",
          spec.state().keyGroups(),
          keyGroups);
    }
    String store = StateSpec.store(spec) == StateSpec.Store.ROCKSDB ? "rocksdb" : "heap";
    return new StateOperator(0, "aggregate", keyGroups, store);
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
