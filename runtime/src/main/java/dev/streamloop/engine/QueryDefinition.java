package dev.streamloop.engine;

import dev.streamloop.engine.state.StateStoreSettings;
import java.util.List;

/**
 * Everything the loop runs.
 *
 * @param name The query's name, for progress.
 * @param sources The inputs, in checkpoint order (source i keeps its log in sources/i).
 * @param query The compiled query.
 * @param sinks The outputs; each receives every batch's whole result.
 * @param trigger When batches run.
 * @param retainBatches How many batches of checkpoint entries to keep.
 * @param watermarks The sources' declared watermarks (none: the watermark stays 0).
 * @param state Where a stateful query keeps its state.
 */
public record QueryDefinition(
    String name,
    List<Source> sources,
    BatchQuery query,
    List<Sink> sinks,
    Trigger trigger,
    int retainBatches,
    List<EventTimeWatermark> watermarks,
    StateStoreSettings state) {

  /** A query whose state (if any) is on the heap. */
  public QueryDefinition(
      String name,
      List<Source> sources,
      BatchQuery query,
      List<Sink> sinks,
      Trigger trigger,
      int retainBatches,
      List<EventTimeWatermark> watermarks) {
    this(
        name, sources, query, sinks, trigger, retainBatches, watermarks, StateStoreSettings.heap());
  }

  /** A query whose sources declare no watermark. */
  public QueryDefinition(
      String name,
      List<Source> sources,
      BatchQuery query,
      List<Sink> sinks,
      Trigger trigger,
      int retainBatches) {
    this(name, sources, query, sinks, trigger, retainBatches, List.of());
  }
}
