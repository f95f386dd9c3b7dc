package dev.streamloop.engine.sql;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.OutputMode;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;

/**
 * Compiles a streaming deduplication ({@link DeduplicateSplit}): the plan below it compiled from
 * the first conversion of the query, the plan above it from a second, with the deduplication
 * replaced by a scan of the rows that passed it.
 */
final class DeduplicationCompiler {
  private DeduplicationCompiler() {}

  static BatchQuery compile(
      CalcitePipeline pipeline,
      SchemaPlus root,
      SqlNode validated,
      DeduplicateSplit deduplication,
      List<Column> output,
      OutputMode mode,
      Map<String, Long> watermarkDelays,
      FailingExpressions failing)
      throws SqlCompileException {
    if (mode == OutputMode.COMPLETE) {
      throw new SqlCompileException(
          "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: complete."
              + " This output mode is not supported for no streaming aggregations on streaming"
              + " DataFrames/DataSets (a deduplication emits each key's first row once); use"
              + " append",
          0,
          0,
          null);
    }
    StatelessCheck.check(deduplication.window().getInput());
    RelNode belowPlan = deduplication.below();
    CalciteQuery below =
        new CalciteQuery(
            QueryCompiler.bindable(belowPlan),
            QueryCompiler.columns(belowPlan.getRowType()),
            root,
            pipeline.typeFactory(),
            failing);
    root.add(
        StreamingDeduplicateQuery.DEDUPLICATED_TABLE,
        new StageOutputTable(
            StreamingDeduplicateQuery.DEDUPLICATED_TABLE, deduplication.window().getRowType()));
    RelRoot second = pipeline.toRel(validated, CalcitePipeline.statelessRules());
    DeduplicateSplit again = DeduplicateSplit.find(second.rel, watermarkDelays);
    RelNode abovePlan =
        again.above(second.project(), pipeline.table(StreamingDeduplicateQuery.DEDUPLICATED_TABLE));
    StatelessCheck.check(abovePlan);
    CalciteQuery above =
        new CalciteQuery(
            QueryCompiler.bindable(abovePlan), output, root, pipeline.typeFactory(), failing);
    return new StreamingDeduplicateQuery(
        below,
        deduplication.outputColumns(),
        deduplication.keys().size(),
        above,
        // no release before the JSON schema deduplicated: no older description to migrate
        new OperatorState(deduplication.stateSchema(), "\u0000 no older form"),
        deduplication.withinWatermark(),
        deduplication.delayMs());
  }
}
