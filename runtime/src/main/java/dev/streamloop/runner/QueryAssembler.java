package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.Durations;
import dev.streamloop.api.v1alpha1.OutputMode;
import dev.streamloop.api.v1alpha1.SourceSpec;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQuerySpec;
import dev.streamloop.api.v1alpha1.TriggerSpec;
import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Clock;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.EventTimeWatermark;
import dev.streamloop.engine.QueryDefinition;
import dev.streamloop.engine.Share;
import dev.streamloop.engine.Sink;
import dev.streamloop.engine.Source;
import dev.streamloop.engine.StaticTable;
import dev.streamloop.engine.StaticTablesQuery;
import dev.streamloop.engine.Trigger;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.sql.QueryCompiler;
import dev.streamloop.engine.sql.SqlCompileException;
import dev.streamloop.engine.sql.TableDefinition;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a validated StreamingQuery into what the engine runs: sources, the compiled SQL, sinks,
 * trigger. Checks what the CRD's rules cannot: the SQL against the schemas, Spark's output-mode
 * rules, and the connectors this runner has.
 */
public final class QueryAssembler {
  private QueryAssembler() {}

  /** Checks the query without running it (no checkpoint, no files touched). */
  public static void check(StreamingQuery query) throws InvalidQueryException {
    compileChecked(query);
  }

  /** The compiled query, or every reason the query cannot run. */
  static BatchQuery compileChecked(StreamingQuery query) throws InvalidQueryException {
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < query.getSpec().sources().size(); i++) {
      String problem = Sources.problem(query.getSpec().sources().get(i), i);
      if (problem != null) {
        errors.add(problem);
      }
    }
    BatchQuery compiled = compile(query.getSpec(), errors);
    for (int i = 0; compiled != null && i < query.getSpec().sinks().size(); i++) {
      String problem =
          Sinks.problem(
              query.getSpec().sinks().get(i),
              i,
              compiled.outputColumns(),
              outputMode(query.getSpec()));
      if (problem != null) {
        errors.add(problem);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidQueryException(errors);
    }
    return compiled;
  }

  /** Builds the query for the engine, with its sources' logs in {@code checkpoint}. */
  public static QueryDefinition assemble(
      StreamingQuery query, Checkpoint checkpoint, Clock clock, PrintStream console)
      throws InvalidQueryException {
    return assemble(
        query,
        new RunnerContext(
            checkpoint,
            clock,
            console,
            Share.ALL,
            new SecretFiles(SecretFiles.DEFAULT_DIR),
            LocalPaths.NONE));
  }

  /**
   * As above, for one of several runners of the query: it reads its {@code share} of the sources,
   * and file outputs (sink, dead letters) go to its own sub-directory {@code replica-<index>}, each
   * a complete file-sink output with its own manifest.
   */
  static QueryDefinition assemble(StreamingQuery query, RunnerContext context)
      throws InvalidQueryException {
    BatchQuery compiled = compileChecked(query);
    StreamingQuerySpec spec = query.getSpec();
    DataVolumes volumes = DataVolumes.of(spec, context.paths());
    // the engine gets the sources in the checkpoint's order, each with its own offsets
    List<Integer> order =
        CheckpointSources.arrange(spec, context.checkpoint(), compiled.stateful());
    try {
      List<Source> sources = new ArrayList<>();
      for (int slot = 0; slot < order.size(); slot++) {
        int i = order.get(slot);
        sources.add(
            Sources.build(
                spec.sources().get(i),
                spec.badRecords(),
                context.checkpoint(),
                i,
                slot,
                context.clock(),
                spec.checkpoint().retainBatches(),
                context.share(),
                context.secrets(),
                volumes));
      }
      List<StaticTable> staticTables = new ArrayList<>();
      for (int i = 0; i < spec.sources().size(); i++) {
        if (spec.sources().get(i).isStatic()) {
          staticTables.add(
              Sources.buildStatic(
                  spec.sources().get(i), spec.badRecords(), i, context.clock(), volumes));
        }
      }
      List<Sink> sinks = new ArrayList<>();
      for (int i = 0; i < spec.sinks().size(); i++) {
        sinks.add(
            Sinks.build(
                spec.sinks().get(i),
                i,
                compiled.outputColumns(),
                outputMode(spec),
                context,
                volumes));
      }
      return new QueryDefinition(
          query.getMetadata().getName(),
          sources,
          staticTables.isEmpty() ? compiled : new StaticTablesQuery(compiled, staticTables),
          sinks,
          trigger(spec.trigger()),
          spec.checkpoint().retainBatches(),
          watermarks(spec, order),
          StateSettings.of(spec, context.checkpoint()));
    } catch (SecretFiles.MissingSecretException e) {
      throw new InvalidQueryException(List.of(e.getMessage()));
    }
  }

  private static BatchQuery compile(StreamingQuerySpec spec, List<String> errors) {
    List<TableDefinition> tables = new ArrayList<>();
    for (int i = 0; i < spec.sources().size(); i++) {
      SourceSpec source = spec.sources().get(i);
      tables.add(
          source.isStatic()
              ? TableDefinition.staticTable(source.name(), Sources.columns(source))
              : new TableDefinition(
                  source.name(),
                  Sources.columns(source),
                  source.watermark() == null ? null : source.watermark().column(),
                  source.watermark() == null ? 0 : Durations.toMillis(source.watermark().delay())));
    }
    if (!errors.isEmpty()) {
      return null;
    }
    try {
      BatchQuery compiled = QueryCompiler.compile(spec.query(), tables, outputMode(spec));
      checkOutputMode(spec, compiled.stateful(), compiled.hasEventTimeKey(), errors);
      return compiled;
    } catch (SqlCompileException e) {
      errors.add("spec.query: " + e.getMessage());
      return null;
    }
  }

  /** Each source's declared watermark: its column's index and the delay. */
  /** The declared watermarks, each naming its source by checkpoint position ({@code order}). */
  private static List<EventTimeWatermark> watermarks(StreamingQuerySpec spec, List<Integer> order) {
    List<EventTimeWatermark> watermarks = new ArrayList<>();
    for (int slot = 0; slot < order.size(); slot++) {
      SourceSpec source = spec.sources().get(order.get(slot));
      if (source.watermark() == null) {
        continue;
      }
      List<Column> columns = Sources.columns(source);
      for (int c = 0; c < columns.size(); c++) {
        if (columns.get(c).name().equals(source.watermark().column())) {
          watermarks.add(
              new EventTimeWatermark(slot, c, Durations.toMillis(source.watermark().delay())));
        }
      }
    }
    return watermarks;
  }

  static dev.streamloop.engine.OutputMode outputMode(StreamingQuerySpec spec) {
    return switch (spec.outputMode() == null ? OutputMode.APPEND : spec.outputMode()) {
      case APPEND -> dev.streamloop.engine.OutputMode.APPEND;
      case UPDATE -> dev.streamloop.engine.OutputMode.UPDATE;
      case COMPLETE -> dev.streamloop.engine.OutputMode.COMPLETE;
    };
  }

  /** Spark's output-mode rules (UnsupportedOperationChecker), and ours for parallel runners. */
  private static void checkOutputMode(
      StreamingQuerySpec spec, boolean stateful, boolean eventTimeKey, List<String> errors) {
    OutputMode mode = spec.outputMode() == null ? OutputMode.APPEND : spec.outputMode();
    if (!stateful && mode == OutputMode.COMPLETE) {
      errors.add(
          "spec.outputMode: [STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output"
              + " mode: complete. This output mode is not supported for no streaming aggregations"
              + " on streaming DataFrames/DataSets; use append");
    }
    if (stateful && mode == OutputMode.APPEND && !eventTimeKey) {
      errors.add(
          "spec.outputMode: [STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output"
              + " mode: append. This output mode is not supported for streaming aggregations"
              + " without watermark on streaming DataFrames/DataSets; declare"
              + " spec.sources[].watermark on the event-time column and group by it or by its"
              + " window (window(ts, '1 minute')), or use update or complete");
    }
    if (stateful && spec.parallelism() != null && spec.parallelism() > 1) {
      errors.add(
          "spec.parallelism: a stateful query (GROUP BY, deduplication) needs parallelism 1, its state is not"
              + " split between runners; set parallelism: 1");
    }
    // a file sink with update or complete is refused by the CRD's own rule (CEL), like Spark's
  }

  /** A runner's own part of a shared output directory: replica-<index> when runners share it. */
  static Path ownDirectory(Path dir, Share share) {
    return share.isAll() ? dir : dir.resolve("replica-" + share.index());
  }

  private static Trigger trigger(TriggerSpec trigger) {
    if (trigger == null || (trigger.processingTime() == null && trigger.availableNow() == null)) {
      return Trigger.BackToBack.DEFAULT;
    }
    if (trigger.availableNow() != null) {
      return new Trigger.AvailableNow();
    }
    long interval = Durations.toMillis(trigger.processingTime());
    if (interval == 0) {
      return Trigger.BackToBack.DEFAULT;
    }
    return new Trigger.ProcessingTime(interval);
  }
}
