package dev.streamloop.engine.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * What a streaming aggregation's state holds, in Streamloop's own words (the {@code _schema} file
 * of its state directory, JSON): the grouping columns with their types, each aggregate with its
 * input and result type, and the event-time windows the groups come from. Written in our type names
 * rather than a planner's description, so that an upgrade of the planner does not make every
 * stateful checkpoint unreadable; compared field by field, so that an edit is refused with the
 * column, aggregate or window that changed.
 *
 * @param version The format (1).
 * @param keys The grouping columns, in order.
 * @param aggregates The aggregate functions, in order.
 * @param windows The window table functions below the aggregation, such as {@code TUMBLE(30000
 *     ms)}.
 */
record AggregateStateSchema(
    int version, List<Column> keys, List<Aggregate> aggregates, List<String> windows) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int VERSION = 1;

  /** A grouping column: its name and our type name. */
  record Column(String name, String type) {
    @Override
    public String toString() {
      return name + " " + type;
    }
  }

  /**
   * An aggregate function: {@code COUNT}, {@code SUM}, {@code SUM0}, {@code AVG}, {@code MIN} or
   * {@code MAX} of an input column (null for {@code COUNT(*)}), an optional FILTER column, and its
   * result type.
   */
  record Aggregate(String function, Column input, Column filter, String result) {
    @Override
    public String toString() {
      return function
          + "("
          + (input == null ? "*" : input)
          + ")"
          + (filter == null ? "" : " FILTER (WHERE " + filter.name() + ")")
          + " -> "
          + result;
    }
  }

  static AggregateStateSchema of(
      org.apache.calcite.rel.core.Aggregate aggregate, AggregateFunctions functions) {
    List<RelDataTypeField> out = aggregate.getRowType().getFieldList();
    List<RelDataTypeField> in = aggregate.getInput().getRowType().getFieldList();
    List<Column> keys = new ArrayList<>();
    for (int i = 0; i < aggregate.getGroupCount(); i++) {
      keys.add(column(out.get(i)));
    }
    List<Aggregate> aggregates = new ArrayList<>();
    for (AggregateFunctions.Function f : functions.list()) {
      aggregates.add(
          new Aggregate(
              f.kind().name(),
              f.arg() < 0 ? null : column(in.get(f.arg())),
              f.filter() < 0 ? null : column(in.get(f.filter())),
              typeName(f.type(), -1, f.scale())));
    }
    List<String> windows = new ArrayList<>();
    collectWindows(aggregate.getInput(), windows);
    return new AggregateStateSchema(VERSION, keys, aggregates, windows);
  }

  /** This schema with one more window, such as a session window's gap. */
  AggregateStateSchema withWindow(String window) {
    List<String> all = new ArrayList<>(windows);
    all.add(window);
    return new AggregateStateSchema(version, keys, aggregates, List.copyOf(all));
  }

  String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code text} is a schema of this format (not an older release's plain text). */
  static boolean isJson(String text) {
    return text.stripLeading().startsWith("{");
  }

  static AggregateStateSchema parse(String text) throws JsonProcessingException {
    return JSON.readValue(text, AggregateStateSchema.class);
  }

  /** Each way {@code now} differs from this kept schema, naming the column, aggregate or window. */
  List<String> differences(AggregateStateSchema now) {
    List<String> reasons = new ArrayList<>();
    if (!keys.equals(now.keys)) {
      if (keys.size() != now.keys.size()) {
        reasons.add("the grouping changed from " + keys + " to " + now.keys);
      } else {
        for (int i = 0; i < keys.size(); i++) {
          if (!keys.get(i).equals(now.keys.get(i))) {
            reasons.add(
                "grouping column "
                    + (i + 1)
                    + " changed from "
                    + keys.get(i)
                    + " to "
                    + now.keys.get(i));
          }
        }
      }
    }
    if (!aggregates.equals(now.aggregates)) {
      if (aggregates.size() != now.aggregates.size()) {
        reasons.add("the aggregates changed from " + aggregates + " to " + now.aggregates);
      } else {
        for (int i = 0; i < aggregates.size(); i++) {
          if (!aggregates.get(i).equals(now.aggregates.get(i))) {
            reasons.add(
                "aggregate "
                    + (i + 1)
                    + " changed from "
                    + aggregates.get(i)
                    + " to "
                    + now.aggregates.get(i));
          }
        }
      }
    }
    if (!windows.equals(now.windows)) {
      reasons.add("the window changed from " + windows + " to " + now.windows);
    }
    return reasons;
  }

  static Column column(RelDataTypeField field) {
    RelDataType type = field.getType();
    return new Column(
        field.getName(), typeName(type.getSqlTypeName(), type.getPrecision(), type.getScale()));
  }

  /** Our names for SQL types: the spec's column types where they exist. */
  static String typeName(SqlTypeName type, int precision, int scale) {
    return switch (type) {
      case BIGINT -> "long";
      case INTEGER -> "int";
      case SMALLINT -> "short";
      case TINYINT -> "byte";
      case DOUBLE, FLOAT -> "double";
      case REAL -> "float";
      case DECIMAL ->
          precision < 0 ? "decimal(*," + scale + ")" : "decimal(" + precision + "," + scale + ")";
      case CHAR, VARCHAR -> "string";
      case BOOLEAN -> "boolean";
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "timestamp";
      case DATE -> "date";
      case BINARY, VARBINARY -> "binary";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }

  private static void collectWindows(RelNode node, List<String> windows) {
    if (node instanceof TableFunctionScan scan && scan.getCall() instanceof RexCall call) {
      List<String> sizes = new ArrayList<>();
      for (RexNode operand : call.getOperands()) {
        if (operand instanceof RexLiteral literal
            && literal.getType().getSqlTypeName().getFamily()
                == org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_DAY_TIME) {
          sizes.add(literal.getValueAs(BigDecimal.class).toPlainString() + " ms");
        }
      }
      windows.add(call.getOperator().getName().toUpperCase(Locale.ROOT) + sizes);
    }
    node.getInputs().forEach(input -> collectWindows(input, windows));
  }
}
