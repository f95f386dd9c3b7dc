package dev.streamloop.engine.sql;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.TableScan;

/**
 * Spark's rules for a join in a streaming query: a stream joins static tables (each batch's rows
 * against the table's snapshot, no state), inner or outer on the static side; an outer join that
 * would have to emit the static side's unmatched rows needs the whole stream, and is refused with
 * Spark's message. Two streams join in {@link StreamingJoinQuery}, at the top of a query only.
 */
final class StreamStaticJoins {
  private StreamStaticJoins() {}

  /** Why {@code join} cannot run on streams, or null when it can. */
  static String problem(Join join) {
    boolean leftStream = readsStream(join.getLeft());
    boolean rightStream = readsStream(join.getRight());
    if (leftStream && rightStream) {
      return "a join of two streams must be at the top of the query, with only projections and"
          + " filters over it (an aggregation over it, or a join of three streams, is not"
          + " supported yet)";
    }
    String type = sparkName(join.getJoinType());
    return switch (join.getJoinType()) {
      case INNER -> null;
      case RIGHT ->
          leftStream && !rightStream
              ? "RightOuter join with a streaming DataFrame/Dataset on the left and a static"
                  + " DataFrame/DataSet on the right not supported (put the stream on the right of"
                  + " RIGHT JOIN, or write LEFT JOIN)"
              : null;
      case FULL ->
          "FullOuter joins with streaming DataFrames/Datasets on the "
              + (leftStream ? "left" : "right")
              + " and a static DataFrame/Dataset on the "
              + (leftStream ? "right" : "left")
              + " is not supported (write LEFT JOIN with the stream on the left)";
      default ->
          !leftStream && rightStream
              ? type
                  + " join with a streaming DataFrame/Dataset on the right and a static"
                  + " DataFrame/Dataset on the left is not supported (put the stream on the left)"
              : null;
    };
  }

  private static String sparkName(JoinRelType type) {
    return switch (type) {
      case LEFT -> "LeftOuter";
      case SEMI -> "LeftSemi";
      case ANTI -> "LeftAnti";
      default -> type.name();
    };
  }

  /** Whether {@code node} reads a stream (a scan of anything but a static table). */
  static boolean readsStream(RelNode node) {
    if (node instanceof TableScan scan) {
      BatchTable table = scan.getTable().unwrap(BatchTable.class);
      return table == null || !table.isStatic();
    }
    for (RelNode input : node.getInputs()) {
      if (readsStream(input)) {
        return true;
      }
    }
    return false;
  }
}
