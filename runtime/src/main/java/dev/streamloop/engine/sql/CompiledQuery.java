package dev.streamloop.engine.sql;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import java.util.List;

/**
 * A compiled query and its result columns.
 *
 * @param query What the loop runs for every batch.
 * @param outputColumns The result's columns.
 */
public record CompiledQuery(BatchQuery query, List<Column> outputColumns) {}
