package dev.streamloop.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one engine made of a case: the result's column names and each batch's rows, or the error
 * that refused it. Rows are compared as normalised JSON text, sorted within a batch (neither engine
 * orders a batch without ORDER BY); batches without rows are left out, so a no-data batch that one
 * engine ran and the other skipped is not a difference, but rows in another batch are.
 */
record Outcome(List<String> columns, SortedMap<Long, List<String>> batches, String error) {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Doubles are compared to 12 significant digits: the engines sum in different orders. */
  private static final MathContext DOUBLES = new MathContext(12);

  static Outcome refused(String error) {
    return new Outcome(List.of(), new TreeMap<>(), error);
  }

  static final class Builder {
    private final List<String> columns;
    private final SortedMap<Long, List<String>> batches = new TreeMap<>();

    Builder(List<String> columns) {
      this.columns = columns;
    }

    /** One batch's rows, each an array of values in the form {@link #normalised} takes. */
    void batch(long id, List<JsonNode> rows) {
      if (rows.isEmpty()) {
        return;
      }
      List<String> texts = new ArrayList<>();
      rows.forEach(row -> texts.add(normalised(row).toString()));
      texts.sort(null);
      batches.computeIfAbsent(id, k -> new ArrayList<>()).addAll(texts);
      batches.get(id).sort(null);
    }

    Outcome build() {
      return new Outcome(columns, batches, null);
    }
  }

  /** Doubles rounded and tagged as text ("d:1.5"), so a double never equals an integer. */
  static JsonNode normalised(JsonNode node) {
    if (node.isFloatingPointNumber()) {
      double d = node.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return NODES.textNode("d:" + d);
      }
      return NODES.textNode(
          "d:" + new BigDecimal(d).round(DOUBLES).stripTrailingZeros().toPlainString());
    }
    if (node.isArray()) {
      ArrayNode array = NODES.arrayNode();
      node.forEach(element -> array.add(normalised(element)));
      return array;
    }
    return node;
  }

  /** The first batch whose rows differ from {@code other}'s, with the rows only one side has. */
  String difference(Outcome other) {
    java.util.SortedSet<Long> ids = new java.util.TreeSet<>(batches.keySet());
    ids.addAll(other.batches.keySet());
    for (long id : ids) {
      List<String> mine = batches.getOrDefault(id, List.of());
      List<String> theirs = other.batches.getOrDefault(id, List.of());
      if (!mine.equals(theirs)) {
        List<String> onlyMine = new ArrayList<>(mine);
        theirs.forEach(onlyMine::remove);
        List<String> onlyTheirs = new ArrayList<>(theirs);
        mine.forEach(onlyTheirs::remove);
        return "first difference in batch "
            + id
            + ": only the runner's "
            + onlyMine
            + ", only Spark's "
            + onlyTheirs;
      }
    }
    return "no difference";
  }

  /** The rows of all batches, in batch order: for output modes whose batches may split apart. */
  List<String> allRows() {
    List<String> all = new ArrayList<>();
    batches.values().forEach(all::addAll);
    all.sort(null);
    return all;
  }

  /** The last batch with rows: a complete-mode query's final result. */
  List<String> lastBatch() {
    return batches.isEmpty() ? List.of() : batches.get(batches.lastKey());
  }
}
