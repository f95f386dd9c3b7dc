package dev.streamloop.engine.sql;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.OutputMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Compiles a query with Apache Calcite, once: parse, validate against the sources' schemas, plan,
 * generate and compile Java code. Identifiers are matched case-insensitively (as Spark does); quote
 * reserved words with double quotes ("timestamp", "value").
 */
public final class QueryCompiler {
  private static final Pattern UNKNOWN_NAME =
      Pattern.compile("(?:Column|Object|Table) '([^']+)' not found");

  private static final Pattern ENCOUNTERED = Pattern.compile("Encountered \"([^\"]+)\"");

  private QueryCompiler() {}

  /**
   * Loads and initialises Calcite's planner and code generator by compiling a tiny query, so that a
   * runner can do it on its second core while it reads and validates its StreamingQuery.
   */
  public static void warmUp() {
    try {
      compile(
          "SELECT n + 1 AS m FROM warm WHERE n > 0",
          List.of(new TableDefinition("warm", List.of(new Column("n", ColumnKind.LONG)))));
    } catch (SqlCompileException e) {
      throw new IllegalStateException("the warm-up query does not compile", e);
    }
  }

  /** Compiles a query whose output mode is Append (a stateless query). */
  public static BatchQuery compile(String sql, List<TableDefinition> tables)
      throws SqlCompileException {
    return compile(sql, tables, OutputMode.APPEND);
  }

  /**
   * Compiles {@code sql}; a query with a GROUP BY becomes a streaming aggregation that emits in
   * {@code mode} ({@link BatchQuery#stateful()}); the caller checks Spark's output-mode rules.
   */
  public static BatchQuery compile(String sql, List<TableDefinition> tables, OutputMode mode)
      throws SqlCompileException {
    QueryShape.check(sql);
    return DeepStack.call(() -> compileHere(sql, tables, mode));
  }

  private static BatchQuery compileHere(String sql, List<TableDefinition> tables, OutputMode mode)
      throws SqlCompileException {
    SchemaPlus root = CalciteSchema.createRootSchema(false).plus();
    Set<String> knownNames = new TreeSet<>();
    for (TableDefinition table : tables) {
      root.add(table.name(), new BatchTable(table));
      knownNames.add(table.name());
      table.columns().forEach(c -> knownNames.add(c.name()));
    }
    CalcitePipeline pipeline = new CalcitePipeline(root);
    try {
      SqlNode parsed = pipeline.parse(sql);
      if (!parsed.getKind().belongsTo(SqlKind.QUERY)) {
        throw new SqlCompileException(
            "expected one SELECT statement (with UNION ALL if needed), got "
                + parsed.getKind().lowerName,
            parsed.getParserPosition().getLineNum(),
            parsed.getParserPosition().getColumnNum(),
            null);
      }
      FailingExpressions failing = FailingExpressions.of(sql, parsed);
      SqlNode validated = pipeline.validate(parsed);
      RelRoot relRoot = pipeline.toRel(validated, CalcitePipeline.statelessRules());
      List<Column> output = columns(relRoot.validatedRowType);
      requireDistinctNames(output);
      requireFlatColumns(relRoot.validatedRowType);
      Map<String, Long> watermarkDelays = watermarkDelays(tables);
      DeduplicateSplit deduplication = DeduplicateSplit.find(relRoot.rel, watermarkDelays);
      Join streamJoin = deduplication == null ? StreamJoinSplit.find(relRoot.rel) : null;
      StatelessCheck.checkWholeQuery(
          relRoot.rel, deduplication == null ? streamJoin : deduplication.window());
      if (streamJoin != null) {
        return StreamJoinCompiler.compile(
            pipeline, root, validated, streamJoin, output, mode, failing);
      }
      if (deduplication != null) {
        return DeduplicationCompiler.compile(
            pipeline, root, validated, deduplication, output, mode, watermarkDelays, failing);
      }
      Aggregate aggregate = AggregateSplit.find(relRoot.rel);
      if (aggregate != null) {
        Set<String> watermarkColumns = new TreeSet<>(watermarkDelays.keySet());
        return aggregation(
            pipeline, root, validated, aggregate, output, mode, watermarkColumns, failing);
      }
      StatelessCheck.check(relRoot.rel);
      return new CalciteQuery(
          bindable(relRoot.project()), output, root, pipeline.typeFactory(), failing);
    } catch (SqlParseException e) {
      // names the parser saw marked (SparkQueryText) as the query has them
      String message = SparkQueryText.unmarkedText(firstLine(e.getMessage()));
      Matcher token = ENCOUNTERED.matcher(message);
      if (token.find() && token.group(1).matches("[A-Za-z_]+")) {
        message +=
            " (if \""
                + token.group(1)
                + "\" is a table or column name, it is a reserved word:"
                + " quote it with double quotes)";
      }
      throw new SqlCompileException(message, e.getPos().getLineNum(), e.getPos().getColumnNum(), e);
    } catch (CalciteContextException e) {
      throw validationError(e, knownNames);
    } catch (RelOptPlanner.CannotPlanException e) {
      throw new SqlCompileException("cannot plan the query: " + firstLine(e.getMessage()), 0, 0, e);
    }
  }

  /**
   * A streaming aggregation: the plan below the Aggregate and the plan above it are compiled apart
   * (the one above from a second conversion of the query, with the Aggregate replaced by a scan of
   * the groups), and the aggregation between them keeps its groups in the state store.
   */
  private static BatchQuery aggregation(
      CalcitePipeline pipeline,
      SchemaPlus root,
      SqlNode validated,
      Aggregate aggregate,
      List<Column> output,
      OutputMode mode,
      Set<String> watermarkColumns,
      FailingExpressions failing)
      throws SqlCompileException {
    // the group columns come first in an Aggregate's input and output: getGroupSet() is 0..n-1
    // after Calcite's conversion, which projects them to the front
    if (!aggregate.getGroupSet().equals(ImmutableBitSet.range(aggregate.getGroupCount()))) {
      throw new SqlCompileException("cannot plan this aggregation's grouping", 0, 0, null);
    }
    StatelessCheck.check(aggregate.getInput());
    AggregateFunctions functions =
        AggregateFunctions.of(aggregate.getAggCallList(), aggregate.getInput().getRowType());
    CalciteQuery below =
        new CalciteQuery(
            bindable(aggregate.getInput()),
            columns(aggregate.getInput().getRowType()),
            root,
            pipeline.typeFactory(),
            failing);
    root.add(
        StreamingAggregateQuery.GROUPS_TABLE,
        new StageOutputTable(StreamingAggregateQuery.GROUPS_TABLE, aggregate.getRowType()));
    RelRoot second = pipeline.toRel(validated, CalcitePipeline.aboveAggregateRules());
    Aggregate again = AggregateSplit.find(second.rel);
    RelNode above =
        AggregateSplit.above(
            second.project(), again, pipeline.table(StreamingAggregateQuery.GROUPS_TABLE));
    if (AggregateSplit.sorts(above) && mode != OutputMode.COMPLETE) {
      throw new SqlCompileException(
          "Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated"
              + " DataFrame/Dataset in Complete output mode (remove ORDER BY and LIMIT, or use"
              + " outputMode: complete)",
          0,
          0,
          null);
    }
    CalciteQuery groups =
        new CalciteQuery(bindable(above), output, root, pipeline.typeFactory(), failing);
    // how releases before the JSON schema described the state (their _schema files say this)
    String legacySchema =
        "groups and functions "
            + aggregate.getRowType().getFullTypeString()
            + " computed as "
            + aggregate.getAggCallList()
            + " over "
            + aggregate.getInput().getRowType().getFullTypeString()
            + "\n";
    AggregateStateSchema schema = AggregateStateSchema.of(aggregate, functions);
    SessionColumns session =
        SessionColumns.find(aggregate, mode, SparkSessionWindows.rewritten(validated));
    if (session != null) {
      return new StreamingSessionQuery(
          below,
          aggregate.getGroupCount(),
          session,
          functions,
          groups,
          mode,
          new OperatorState(schema.withWindow(session.description()), legacySchema),
          !watermarkColumns.isEmpty());
    }
    return new StreamingAggregateQuery(
        below,
        aggregate.getGroupCount(),
        functions,
        groups,
        mode,
        new OperatorState(schema, legacySchema),
        eventTimeKey(aggregate, watermarkColumns));
  }

  /**
   * The group column that is event time: a window's end (TUMBLE, HOP), or a watermarked column
   * itself; -1 if none, or if no source has a watermark (then nothing is ever closed).
   */
  private static int eventTimeKey(Aggregate aggregate, Set<String> watermarkColumns) {
    if (watermarkColumns.isEmpty()) {
      return -1;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < aggregate.getGroupCount(); i++) {
      names.add(AggregateSplit.sourceName(aggregate.getInput(), i));
    }
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase("window_end")) {
        return i;
      }
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (watermarkColumns.stream().anyMatch(name::equalsIgnoreCase)) {
        return i;
      }
    }
    return -1;
  }

  /** Each watermarked column's delay, by its name in lower case (the longest if several). */
  private static Map<String, Long> watermarkDelays(List<TableDefinition> tables) {
    Map<String, Long> delays = new HashMap<>();
    for (TableDefinition table : tables) {
      if (table.watermarkColumn() != null) {
        delays.merge(
            table.watermarkColumn().toLowerCase(Locale.ROOT), table.watermarkDelayMs(), Math::max);
      }
    }
    return delays;
  }

  static Bindable<?> bindable(RelNode logical) {
    EnumerableRel physical = CalcitePipeline.toEnumerable(logical);
    return EnumerableInterpretable.toBindable(
        new HashMap<>(), null, physical, EnumerableRel.Prefer.ARRAY);
  }

  /**
   * Output columns need distinct names (ignoring case, as Spark compares them): a sink writes them
   * as JSON keys, CSV headers or table columns, where two of one name are ambiguous. Spark's file
   * sinks fail the same way ("Found duplicate column(s) in the data schema").
   */
  private static void requireDistinctNames(List<Column> output) throws SqlCompileException {
    Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (Column column : output) {
      if (!seen.add(column.name())) {
        throw new SqlCompileException(
            "Found duplicate column(s) in the result: \""
                + column.name()
                + "\"; give each output column its own name (AS)",
            0,
            0,
            null);
      }
    }
  }

  /**
   * Output columns hold plain values: the sinks write no arrays, maps or structs (Spark's JSON sink
   * would), and writing one as its Java text would differ from Spark silently.
   */
  private static void requireFlatColumns(org.apache.calcite.rel.type.RelDataType rowType)
      throws SqlCompileException {
    for (RelDataTypeField field : rowType.getFieldList()) {
      org.apache.calcite.sql.type.SqlTypeName type = field.getType().getSqlTypeName();
      if (type == org.apache.calcite.sql.type.SqlTypeName.ARRAY
          || type == org.apache.calcite.sql.type.SqlTypeName.MAP
          || type == org.apache.calcite.sql.type.SqlTypeName.MULTISET
          || type == org.apache.calcite.sql.type.SqlTypeName.ROW) {
        String name = field.getName();
        throw new SqlCompileException(
            "output column \""
                + name
                + "\" is "
                + field.getType().getFullTypeString()
                + ": the sinks write plain values, not arrays, maps or structs; select an element"
                + " ("
                + name
                + "[0]), its size (size("
                + name
                + ")) or its text (array_join("
                + name
                + ", ','))",
            0,
            0,
            null);
      }
    }
  }

  static List<Column> columns(org.apache.calcite.rel.type.RelDataType rowType) {
    List<Column> columns = new ArrayList<>();
    for (RelDataTypeField field : rowType.getFieldList()) {
      columns.add(new Column(field.getName(), kind(field)));
    }
    return columns;
  }

  private static SqlCompileException validationError(
      CalciteContextException context, Set<String> known) {
    String message =
        context.getCause() != null ? context.getCause().getMessage() : context.getMessage();
    if (message.contains("'LEFT_SEMI_JOIN'") || message.contains("'LEFT_ANTI_JOIN'")) {
      message =
          "LEFT SEMI JOIN and LEFT ANTI JOIN are not supported yet: write an inner JOIN with the"
              + " static table (a semi join, when its key is unique) or LEFT JOIN ... WHERE"
              + " <its key> IS NULL (an anti join)";
    }
    Matcher unknown = UNKNOWN_NAME.matcher(message);
    if (unknown.find()) {
      String name = unknown.group(1);
      message +=
          NameSuggestions.closest(name, known)
              .map(s -> "; did you mean '" + s + "'?")
              .orElse("; known tables and columns: " + String.join(", ", known));
    }
    return new SqlCompileException(message, context.getPosLine(), context.getPosColumn(), context);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static ColumnKind kind(RelDataTypeField field) {
    return switch (field.getType().getSqlTypeName()) {
      case BOOLEAN -> ColumnKind.BOOLEAN;
      case TINYINT, SMALLINT, INTEGER -> ColumnKind.INT;
      case BIGINT -> ColumnKind.LONG;
      case FLOAT, REAL, DOUBLE -> ColumnKind.DOUBLE;
      case DECIMAL -> ColumnKind.DECIMAL;
      case DATE -> ColumnKind.DATE;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> ColumnKind.TIMESTAMP;
      case BINARY, VARBINARY -> ColumnKind.BINARY;
      default -> ColumnKind.STRING;
    };
  }
}
