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
 */
public record QueryDefinition(
    String name,
    List<Source> sources,
    BatchQuery query,
    List<Sink> sinks,
    Trigger trigger,
    int retainBatches) {}
