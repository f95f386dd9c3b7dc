package dev.streamloop.engine.sql;

import java.math.BigDecimal;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * How far apart in event time two joined rows can be, read from a join's condition: each comparison
 * of the two sides' event-time columns (such as {@code c.ts BETWEEN e.ts AND e.ts + INTERVAL '10'
 * MINUTE}) as "one side's time is at least the other's plus an offset". A future row of the other
 * side is later than the watermark, so a kept row whose time is at or below the watermark plus its
 * lower offset can match nothing more: that is when the join forgets it, as Spark's state watermark
 * of each side.
 *
 * @param leftLowerMs The left time is at least the right time plus this.
 * @param rightLowerMs The right time is at least the left time plus this.
 */
record JoinTimeBounds(long leftLowerMs, long rightLowerMs) {

  /**
   * The bounds in {@code condition} over the join's row, the left event time at {@code leftTime}
   * and the right one at {@code rightTime}; refuses a condition that leaves one side unbounded.
   */
  static JoinTimeBounds of(RexNode condition, int leftTime, int rightTime)
      throws SqlCompileException {
    Long leftLower = null;
    Long rightLower = null;
    for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
      if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
        continue;
      }
      Term a = Term.of(call.getOperands().get(0));
      Term b = Term.of(call.getOperands().get(1));
      if (a == null || b == null) {
        continue;
      }
      // as "at least": high >= low + offset
      Term high;
      Term low;
      switch (call.getKind()) {
        case GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
          high = a;
          low = b;
        }
        case LESS_THAN, LESS_THAN_OR_EQUAL -> {
          high = b;
          low = a;
        }
        default -> {
          continue;
        }
      }
      long offset = low.offsetMs() - high.offsetMs();
      if (high.field() == leftTime && low.field() == rightTime) {
        leftLower = leftLower == null ? offset : Math.max(leftLower, offset);
      } else if (high.field() == rightTime && low.field() == leftTime) {
        rightLower = rightLower == null ? offset : Math.max(rightLower, offset);
      }
    }
    if (leftLower == null || rightLower == null) {
      throw new SqlCompileException(
          "a join of two streams needs a time range between the two sides' event-time columns"
              + " (with a watermark on each), such as ON c.user = e.user AND c.ts BETWEEN e.ts AND"
              + " e.ts + INTERVAL '10' MINUTE: the condition does not bound how much later a "
              + (leftLower == null ? "right" : "left")
              + " row can be than the "
              + (leftLower == null ? "left" : "right")
              + " row it matches, so the join would keep every "
              + (leftLower == null ? "left" : "right")
              + " row forever",
          0,
          0,
          null);
    }
    return new JoinTimeBounds(leftLower, rightLower);
  }

  /** A field plus a constant number of milliseconds. */
  private record Term(int field, long offsetMs) {
    static Term of(RexNode node) {
      RexNode bare = node.getKind() == SqlKind.CAST ? ((RexCall) node).getOperands().get(0) : node;
      if (bare instanceof RexInputRef ref) {
        return new Term(ref.getIndex(), 0);
      }
      if (bare instanceof RexCall call
          && (call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS)
          && call.getOperands().size() == 2) {
        Term base = of(call.getOperands().get(0));
        BigDecimal ms = constant(call.getOperands().get(1));
        return base == null || ms == null
            ? null
            : new Term(
                base.field(),
                base.offsetMs() + (call.getKind() == SqlKind.PLUS ? 1 : -1) * ms.longValue());
      }
      return null;
    }

    /** An interval as a number of milliseconds ({@code 5 SECONDS} is 5 * 1000 ms); or null. */
    private static BigDecimal constant(RexNode node) {
      if (node instanceof RexLiteral literal) {
        return literal.getValueAs(BigDecimal.class);
      }
      if (node instanceof RexCall call
          && call.getKind() == SqlKind.TIMES
          && call.getOperands().size() == 2) {
        BigDecimal a = constant(call.getOperands().get(0));
        BigDecimal b = constant(call.getOperands().get(1));
        return a == null || b == null ? null : a.multiply(b);
      }
      return null;
    }
  }
}
