package dev.streamloop.engine.sql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The aggregate functions a streaming aggregation keeps per group, each in slots of one array that
 * the state store holds: COUNT, SUM, AVG (sum and count), MIN, MAX and approx_count_distinct (a
 * HyperLogLog++ sketch, {@link HyperLogLogPlusPlus}), with SQL's null rules and an optional FILTER
 * clause. Their results take Calcite's result types ({@link SparkTypeSystem}).
 */
final class AggregateFunctions {
  enum Kind {
    COUNT,
    SUM,
    SUM0,
    AVG,
    MIN,
    MAX,
    APPROX_COUNT_DISTINCT
  }

  /**
   * One function of the query.
   *
   * @param kind What it computes.
   * @param arg The input column, or -1 for COUNT(*).
   * @param filter The FILTER clause's boolean input column, or -1.
   * @param type The result's SQL type.
   * @param scale The result's scale (DECIMAL).
   * @param slot The first slot in the group's array.
   * @param argType The input column's type, where the function hashes it (approx_count_distinct).
   */
  record Function(
      Kind kind,
      int arg,
      int filter,
      SqlTypeName type,
      int scale,
      int slot,
      HyperLogLogPlusPlus.ValueType argType) {}

  private final List<Function> functions;
  private final int slots;

  /** The functions in the query's order. */
  List<Function> list() {
    return functions;
  }

  private AggregateFunctions(List<Function> functions, int slots) {
    this.functions = functions;
    this.slots = slots;
  }

  /** The query's calls; a function a stream cannot keep is refused with Spark's advice. */
  static AggregateFunctions of(List<AggregateCall> calls, RelDataType input)
      throws SqlCompileException {
    List<Function> functions = new ArrayList<>();
    int slot = 0;
    for (AggregateCall call : calls) {
      int arg = call.getArgList().isEmpty() ? -1 : call.getArgList().get(0);
      if (call.isApproximate() && call.getAggregation().getKind() == SqlKind.COUNT && arg >= 0) {
        RelDataType argType = input.getFieldList().get(arg).getType();
        functions.add(
            new Function(
                Kind.APPROX_COUNT_DISTINCT,
                arg,
                call.filterArg,
                SqlTypeName.BIGINT,
                0,
                slot++,
                new HyperLogLogPlusPlus.ValueType(
                    argType.getSqlTypeName(), argType.getPrecision(), argType.getScale())));
        continue;
      }
      if (call.isDistinct()) {
        throw new SqlCompileException(
            "Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider"
                + " using approx_count_distinct() instead. ("
                + call
                + ")",
            0,
            0,
            null);
      }
      Kind kind =
          switch (call.getAggregation().getKind()) {
            case COUNT -> Kind.COUNT;
            case SUM -> Kind.SUM;
            case SUM0 -> Kind.SUM0;
            case AVG -> Kind.AVG;
            case MIN -> Kind.MIN;
            case MAX -> Kind.MAX;
            default ->
                throw new SqlCompileException(
                    "the aggregate function "
                        + call.getAggregation().getName()
                        + " is not supported on streams; use COUNT, SUM, AVG, MIN or MAX",
                    0,
                    0,
                    null);
          };
      functions.add(
          new Function(
              kind,
              arg,
              call.filterArg,
              call.getType().getSqlTypeName(),
              Math.max(0, call.getType().getScale()),
              slot,
              null));
      slot += kind == Kind.AVG ? 2 : 1;
    }
    return new AggregateFunctions(List.copyOf(functions), slot);
  }

  int size() {
    return functions.size();
  }

  /** A new group's array. */
  Object[] empty() {
    Object[] acc = new Object[slots];
    for (Function f : functions) {
      if (f.kind() == Kind.COUNT) {
        acc[f.slot()] = 0L;
      } else if (f.kind() == Kind.APPROX_COUNT_DISTINCT) {
        acc[f.slot()] = HyperLogLogPlusPlus.empty();
      } else if (f.kind() == Kind.AVG) {
        acc[f.slot() + 1] = 0L;
      }
    }
    return acc;
  }

  /** Adds one input row to a group's array. */
  void add(Object[] acc, Object[] row) {
    for (Function f : functions) {
      if (f.filter() >= 0 && !Boolean.TRUE.equals(row[f.filter()])) {
        continue;
      }
      Object value = f.arg() < 0 ? Boolean.TRUE : row[f.arg()];
      if (value == null) {
        continue; // SQL: aggregates skip nulls (COUNT(*) sees no column)
      }
      int s = f.slot();
      switch (f.kind()) {
        case COUNT -> acc[s] = (Long) acc[s] + 1;
        case SUM, SUM0 -> acc[s] = plus(acc[s], value, f.type());
        case AVG -> {
          acc[s] =
              plus(acc[s], value, f.type() == SqlTypeName.DECIMAL ? f.type() : SqlTypeName.DOUBLE);
          acc[s + 1] = (Long) acc[s + 1] + 1;
        }
        case MIN -> acc[s] = acc[s] == null || compare(value, acc[s]) < 0 ? value : acc[s];
        case MAX -> acc[s] = acc[s] == null || compare(value, acc[s]) > 0 ? value : acc[s];
        case APPROX_COUNT_DISTINCT -> {
          byte[] registers = HyperLogLogPlusPlus.registers(acc[s]);
          HyperLogLogPlusPlus.add(registers, value, f.argType());
          acc[s] = registers;
        }
      }
    }
  }

  /** How many slots a group's array has. */
  int slots() {
    return slots;
  }

  /**
   * Adds the array {@code from} (another part of the same group's rows, such as a session merged
   * into another) to {@code into}, in place.
   */
  void merge(Object[] into, Object[] from) {
    for (Function f : functions) {
      int s = f.slot();
      switch (f.kind()) {
        case COUNT -> into[s] = (Long) into[s] + (Long) from[s];
        case SUM, SUM0 -> into[s] = from[s] == null ? into[s] : plus(into[s], from[s], f.type());
        case AVG -> {
          if (from[s] != null) {
            SqlTypeName sum = f.type() == SqlTypeName.DECIMAL ? f.type() : SqlTypeName.DOUBLE;
            into[s] = plus(into[s], from[s], sum);
          }
          into[s + 1] = (Long) into[s + 1] + (Long) from[s + 1];
        }
        case MIN -> into[s] = pick(into[s], from[s], -1);
        case MAX -> into[s] = pick(into[s], from[s], 1);
        case APPROX_COUNT_DISTINCT -> {
          byte[] registers = HyperLogLogPlusPlus.registers(into[s]);
          HyperLogLogPlusPlus.merge(registers, HyperLogLogPlusPlus.registers(from[s]));
          into[s] = registers;
        }
      }
    }
  }

  /** Of two kept values (either null), the one that compares to the other with {@code sign}. */
  private static Object pick(Object kept, Object other, int sign) {
    if (kept == null || other == null) {
      return kept == null ? other : kept;
    }
    return Integer.signum(compare(other, kept)) == sign ? other : kept;
  }

  /** Function {@code i}'s result for a group, in its result type's Java class. */
  Object result(Object[] acc, int i) {
    Function f = functions.get(i);
    Object value = acc[f.slot()];
    return switch (f.kind()) {
      case COUNT, MIN, MAX -> value;
      case APPROX_COUNT_DISTINCT ->
          HyperLogLogPlusPlus.estimate(HyperLogLogPlusPlus.registers(value));
      case SUM -> value == null ? null : convert(value, f);
      case SUM0 -> convert(value == null ? 0L : value, f);
      case AVG -> {
        long count = (Long) acc[f.slot() + 1];
        if (count == 0) {
          yield null;
        }
        yield value instanceof BigDecimal d
            ? d.divide(BigDecimal.valueOf(count), f.scale(), RoundingMode.HALF_UP)
            : convert(((Number) value).doubleValue() / count, f);
      }
    };
  }

  private static Object plus(Object sum, Object value, SqlTypeName type) {
    Number n = (Number) value;
    return switch (type) {
      case DOUBLE, FLOAT, REAL -> (sum == null ? 0.0 : (Double) sum) + n.doubleValue();
      case DECIMAL -> (sum == null ? BigDecimal.ZERO : (BigDecimal) sum).add(decimal(n));
      default -> Math.addExact(sum == null ? 0L : (Long) sum, n.longValue());
    };
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
  }

  private static Object convert(Object value, Function f) {
    Number n = (Number) value;
    return switch (f.type()) {
      case BIGINT -> n.longValue();
      case INTEGER -> n.intValue();
      case SMALLINT -> n.shortValue();
      case TINYINT -> n.byteValue();
      case DOUBLE, FLOAT -> n.doubleValue();
      case REAL -> n.floatValue();
      case DECIMAL -> decimal(n).setScale(f.scale(), RoundingMode.HALF_UP);
      default -> value;
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }
}
