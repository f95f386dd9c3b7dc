package dev.streamloop.engine.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexFieldCollation;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * Where a query's plan splits for a streaming deduplication, Spark's {@code dropDuplicates} in SQL:
 * {@code SELECT ... FROM (SELECT ..., ROW_NUMBER() OVER (PARTITION BY keys ORDER BY ts) AS rn FROM
 * events) WHERE rn = 1}, where {@code ts} is a watermarked event-time column. With {@code ts} among
 * the keys it is {@code dropDuplicates(keys)}, each key kept until the watermark passes its event
 * time; without, {@code dropDuplicatesWithinWatermark(keys)}, each key kept until the watermark
 * passes its first event time plus the watermark's delay. Other uses of OVER are refused.
 *
 * @param filter The {@code rn = 1} filter (with any other conditions of the same WHERE).
 * @param window The projection that numbers the rows.
 * @param rowNumberField Where the row number is in {@code window}'s output.
 * @param keys The PARTITION BY expressions, over {@code window}'s input.
 * @param eventTime The ORDER BY column, over {@code window}'s input.
 * @param eventTimeName The watermarked column it comes from.
 * @param withinWatermark Whether the event time is not one of the keys.
 * @param delayMs The watermark's delay on that column.
 */
record DeduplicateSplit(
    Filter filter,
    Project window,
    int rowNumberField,
    List<RexNode> keys,
    RexInputRef eventTime,
    String eventTimeName,
    boolean withinWatermark,
    long delayMs) {

  private static final String FORM =
      "to drop duplicate rows write SELECT ... FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY"
          + " <key columns> ORDER BY <event-time column>) AS rn FROM <source>) WHERE rn = 1";

  /**
   * The deduplication at the top of {@code plan} (under projections and filters), or null when the
   * plan has none; refuses a ROW_NUMBER filter that does not deduplicate with a bounded state.
   * {@code watermarkDelays} holds each watermarked column's delay by its name in lower case.
   */
  static DeduplicateSplit find(RelNode plan, Map<String, Long> watermarkDelays)
      throws SqlCompileException {
    for (RelNode node = plan;
        node instanceof Project || node instanceof Filter;
        node = node.getInput(0)) {
      if (node instanceof Filter filter
          && filter.getInput() instanceof Project window
          && RexOver.containsOver(window.getProjects(), null)) {
        return of(filter, window, watermarkDelays);
      }
    }
    return null;
  }

  private static DeduplicateSplit of(
      Filter filter, Project window, Map<String, Long> watermarkDelays) throws SqlCompileException {
    int field = -1;
    for (int i = 0; i < window.getProjects().size(); i++) {
      RexNode project = window.getProjects().get(i);
      if (RexOver.containsOver(project)) {
        if (field >= 0
            || !(project instanceof RexOver over)
            || over.getKind() != SqlKind.ROW_NUMBER) {
          throw notDeduplication(window.getRowType().getFieldNames().get(i));
        }
        field = i;
      }
    }
    String name = window.getRowType().getFieldNames().get(field);
    if (!filtersFirstRow(filter.getCondition(), field)) {
      throw error(
          "a ROW_NUMBER() column of a stream (\""
              + name
              + "\") can only keep the first row of each key, WHERE "
              + name
              + " = 1; "
              + FORM);
    }
    RexOver over = (RexOver) window.getProjects().get(field);
    List<RexNode> keys = over.getWindow().partitionKeys;
    List<RexFieldCollation> order = over.getWindow().orderKeys;
    if (keys.isEmpty()) {
      throw error(
          "ROW_NUMBER() over a stream needs PARTITION BY the columns that identify a row; " + FORM);
    }
    String eventTimeName =
        order.size() == 1 && order.get(0).left instanceof RexInputRef ref
            ? AggregateSplit.sourceName(window.getInput(), ref.getIndex())
            : null;
    Long delay =
        eventTimeName == null ? null : watermarkDelays.get(eventTimeName.toLowerCase(Locale.ROOT));
    if (delay == null) {
      throw error(
          "dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without"
              + " watermark: deduplicating a stream keeps every key it has seen, so ROW_NUMBER()"
              + " must ORDER BY the event-time column of a source with a watermark"
              + " (spec.sources[].watermark), which bounds how long a key is kept; "
              + FORM);
    }
    if (order.get(0).getDirection().isDescending()) {
      throw error(
          "ROW_NUMBER() over a stream keeps the first row of each key to arrive: ORDER BY "
              + eventTimeName
              + " ascending (a later row cannot replace one already written)");
    }
    RexInputRef eventTime = (RexInputRef) order.get(0).left;
    boolean within = !keys.contains(eventTime);
    return new DeduplicateSplit(
        filter, window, field, keys, eventTime, eventTimeName, within, delay);
  }

  /** Whether {@code condition} holds {@code $field = 1} and uses the field nowhere else. */
  private static boolean filtersFirstRow(RexNode condition, int field) {
    int firstRow = 0;
    for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
      if (isFirstRow(conjunct, field)) {
        firstRow++;
      } else if (RelOptUtil.InputFinder.bits(conjunct).get(field)) {
        return false;
      }
    }
    return firstRow == 1;
  }

  private static boolean isFirstRow(RexNode conjunct, int field) {
    if (!(conjunct instanceof RexCall call) || call.getKind() != SqlKind.EQUALS) {
      return false;
    }
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    return isField(left, field) && isOne(right) || isField(right, field) && isOne(left);
  }

  private static boolean isField(RexNode node, int field) {
    return RexUtil.removeCast(node) instanceof RexInputRef ref && ref.getIndex() == field;
  }

  private static boolean isOne(RexNode node) {
    return RexUtil.removeCast(node) instanceof RexLiteral literal
        && literal.getValueAs(java.math.BigDecimal.class) != null
        && literal.getValueAs(java.math.BigDecimal.class).compareTo(java.math.BigDecimal.ONE) == 0;
  }

  /**
   * What runs below the deduplication, once per batch: {@code window}'s columns with the row number
   * as 1 (each row the deduplication passes is its key's first), then the keys, then the event
   * time.
   */
  RelNode below() {
    RexBuilder rex = window.getCluster().getRexBuilder();
    List<RexNode> projects = new ArrayList<>(window.getProjects());
    projects.set(
        rowNumberField,
        rex.makeExactLiteral(
            java.math.BigDecimal.ONE, window.getProjects().get(rowNumberField).getType()));
    List<String> names = new ArrayList<>(window.getRowType().getFieldNames());
    for (int i = 0; i < keys.size(); i++) {
      projects.add(keys.get(i));
      names.add("$key" + i);
    }
    projects.add(eventTime);
    names.add("$eventTime");
    return LogicalProject.create(window.getInput(), List.of(), projects, names, java.util.Set.of());
  }

  /** How many of {@link #below()}'s columns the deduplication passes on. */
  int outputColumns() {
    return window.getRowType().getFieldCount();
  }

  /**
   * {@code plan} with the deduplication (the numbering and its {@code rn = 1}) replaced by a scan
   * of {@code deduplicated}, the first rows; the WHERE's other conditions stay above it.
   */
  RelNode above(RelNode plan, RelOptTable deduplicated) {
    List<RelNode> chain = new ArrayList<>();
    for (RelNode node = plan; node != filter; node = node.getInput(0)) {
      chain.add(node);
    }
    RelNode rebuilt = LogicalTableScan.create(filter.getCluster(), deduplicated, List.of());
    List<RexNode> others = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      if (!isFirstRow(conjunct, rowNumberField)) {
        others.add(conjunct);
      }
    }
    if (!others.isEmpty()) {
      rebuilt =
          LogicalFilter.create(
              rebuilt, RexUtil.composeConjunction(filter.getCluster().getRexBuilder(), others));
    }
    for (int i = chain.size() - 1; i >= 0; i--) {
      RelNode node = chain.get(i);
      rebuilt = node.copy(node.getTraitSet(), List.of(rebuilt));
    }
    return rebuilt;
  }

  /** What the state holds: the keys, the kind of deduplication and its event-time column. */
  AggregateStateSchema stateSchema() {
    List<AggregateStateSchema.Column> keyColumns = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      RexNode key = keys.get(i);
      String keyName =
          key instanceof RexInputRef ref
              ? AggregateSplit.sourceName(window.getInput(), ref.getIndex())
              : key.toString();
      keyColumns.add(new AggregateStateSchema.Column(keyName, typeName(key)));
    }
    AggregateStateSchema.Aggregate kind =
        new AggregateStateSchema.Aggregate(
            withinWatermark ? "DROP_DUPLICATES_WITHIN_WATERMARK" : "DROP_DUPLICATES",
            new AggregateStateSchema.Column(eventTimeName, typeName(eventTime)),
            null,
            "timestamp");
    return new AggregateStateSchema(
        AggregateStateSchema.VERSION, keyColumns, List.of(kind), List.of());
  }

  private static String typeName(RexNode node) {
    return AggregateStateSchema.typeName(
        node.getType().getSqlTypeName(), node.getType().getPrecision(), node.getType().getScale());
  }

  private static SqlCompileException notDeduplication(String column) {
    return error(
        "[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported in \""
            + column
            + "\" on streaming DataFrames/Datasets; "
            + FORM);
  }

  private static SqlCompileException error(String message) {
    return new SqlCompileException(message, 0, 0, null);
  }
}
