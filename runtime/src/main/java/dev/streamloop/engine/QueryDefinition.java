package dev.streamloop.engine;

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
 */
public record QueryDefinition(
    String name,
    List<Source> sources,
    BatchQuery query,
    List<Sink> sinks,
    Trigger trigger,
    int retainBatches,
    List<EventTimeWatermark> watermarks) {

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
