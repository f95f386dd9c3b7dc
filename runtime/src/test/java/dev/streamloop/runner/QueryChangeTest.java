package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.runner.QueryChange.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdict on each kind of edit, row by row after Spark's "recovery semantics after changes in a
 * streaming query", and where the checkpoint lets us allow more.
 */
class QueryChangeTest {
  @TempDir Path dir;

  private static final String SPEC =
      """
      apiVersion: streamloop.dev/v1alpha1
      kind: StreamingQuery
      metadata: {name: orders}
      spec:
        sources:
          - name: orders
            file: {path: /data/orders}
            schema: [{name: id, type: long}, {name: country, type: string}, {name: user, type: string}]
          - name: returns
            file: {path: /data/returns}
            schema: [{name: id, type: long}, {name: country, type: string}, {name: user, type: string}]
        query: SELECT country, COUNT(*) AS n FROM orders GROUP BY country
        sinks:
          - name: out
            console: {}
        outputMode: update
        trigger: {processingTime: 5s}
        runner:
          volumes:
            - {name: data, mountPath: /data, emptyDir: {}}
      """;

  private StreamingQuery load(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "query", ".yaml");
    Files.writeString(file, yaml);
    return QueryFiles.load(file);
  }

  private QueryChange.Verdict edit(String from, String to) throws Exception {
    String edited = SPEC.replace(from, to);
    assertThat(edited).as("the edit applies").isNotEqualTo(SPEC);
    return QueryChange.classify(load(SPEC), load(edited));
  }

  @Test
  void podLevelFieldsAreInPlace() throws Exception {
    assertThat(edit("  runner:\n", "  suspend: true\n  runner:\n").kind()).isEqualTo(Kind.InPlace);
  }

  @Test
  void anotherStateStoreRestartsFromTheCheckpointAndSaysTheStateIsCopied() throws Exception {
    QueryChange.Verdict verdict = edit("  runner:\n", "  state: {store: rocksdb}\n  runner:\n");

    assertThat(verdict.kind()).isEqualTo(Kind.RestartFromCheckpoint);
    assertThat(verdict.reasons())
        .containsExactly(
            "spec.state.store: heap to rocksdb: the runners copy the state into the new store when"
                + " they start");
  }

  @Test
  void newSqlThatKeepsTheStateRestartsFromTheCheckpoint() throws Exception {
    assertThat(edit("FROM orders GROUP", "FROM orders WHERE id > 0 GROUP").kind())
        .isEqualTo(Kind.RestartFromCheckpoint);
    assertThat(edit("console: {}", "console: {numRows: 5}").kind())
        .isEqualTo(Kind.RestartFromCheckpoint);
    assertThat(edit("trigger: {processingTime: 5s}", "trigger: {processingTime: 1s}").kind())
        .isEqualTo(Kind.RestartFromCheckpoint);
  }

  @Test
  void moreThanSparkAllowsReorderedSourcesAndAnAddedSink() throws Exception {
    String swapped =
        SPEC.replace("- name: orders\n", "- name: tmp\n")
            .replace("- name: returns\n", "- name: orders\n")
            .replace("- name: tmp\n", "- name: returns\n")
            .replace("path: /data/orders}", "path: /data/tmp}")
            .replace("path: /data/returns}", "path: /data/orders}")
            .replace("path: /data/tmp}", "path: /data/returns}");
    assertThat(QueryChange.classify(load(SPEC), load(swapped)).kind())
        .isEqualTo(Kind.RestartFromCheckpoint);
    assertThat(
            edit("      console: {}\n", "      console: {}\n    - name: more\n      console: {}\n")
                .kind())
        .isEqualTo(Kind.RestartFromCheckpoint);
  }

  @Test
  void aNewOrRemovedSourceIsIncompatible() throws Exception {
    QueryChange.Verdict verdict =
        edit(
            "  - name: returns\n      file: {path: /data/returns}",
            "  - name: refunds\n      file: {path: /data/returns}");
    assertThat(verdict.kind()).isEqualTo(Kind.StateIncompatible);
    assertThat(verdict.reasons())
        .singleElement()
        .asString()
        .startsWith("spec.sources: ")
        .contains("source returns is gone, source refunds is new");
  }

  @Test
  void aSourceOfAnotherKindIsIncompatible() throws Exception {
    QueryChange.Verdict verdict =
        edit(
            "  - name: returns\n      file: {path: /data/returns}",
            "  - name: returns\n      kafka: {bootstrapServers: 'k:9092', topics: [returns]}");
    assertThat(verdict.kind()).isEqualTo(Kind.StateIncompatible);
    assertThat(verdict.reasons())
        .singleElement()
        .asString()
        .contains("source returns was a file source and is now a kafka source");
  }

  @Test
  void aChangedGroupingOrFunctionIsIncompatibleNamingWhatChanged() throws Exception {
    QueryChange.Verdict keys = edit("GROUP BY country", "GROUP BY country, \"user\"");
    assertThat(keys.kind()).isEqualTo(Kind.StateIncompatible);
    assertThat(keys.reasons())
        .containsExactly(
            "spec.query: the aggregation changed: the grouping changed from [country string] to"
                + " [country string, user string]");
    QueryChange.Verdict renamed =
        edit(
            "SELECT country, COUNT(*) AS n FROM orders GROUP BY country",
            "SELECT \"user\", COUNT(*) AS n FROM orders GROUP BY \"user\"");
    assertThat(renamed.reasons())
        .containsExactly(
            "spec.query: the aggregation changed: grouping column 1 changed from country string to"
                + " user string");
    QueryChange.Verdict function = edit("COUNT(*) AS n", "SUM(id) AS n");
    assertThat(function.reasons())
        .containsExactly(
            "spec.query: the aggregation changed: aggregate 1 changed from COUNT(*) -> long to"
                + " SUM(id long) -> long");
  }

  @Test
  void anotherWindowSizeIsIncompatible() throws Exception {
    String windowed =
        SPEC.replace(
                "{name: user, type: string}]\n    - name: returns",
                "{name: user, type: string}, {name: ts, type: timestamp}]\n"
                    + "      watermark: {column: ts, delay: 5s}\n    - name: returns")
            .replace(
                "SELECT country, COUNT(*) AS n FROM orders GROUP BY country",
                "SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE orders,"
                    + " DESCRIPTOR(ts), INTERVAL '30' SECOND)) GROUP BY window_start, window_end")
            .replace("outputMode: update", "outputMode: append");
    QueryChange.Verdict verdict =
        QueryChange.classify(load(windowed), load(windowed.replace("'30' SECOND", "'1' MINUTE")));

    assertThat(verdict.kind()).isEqualTo(Kind.StateIncompatible);
    assertThat(verdict.reasons())
        .containsExactly(
            "spec.query: the aggregation changed: the window changed from [TUMBLE[30000 ms]] to"
                + " [TUMBLE[60000 ms]]");
  }

  @Test
  void theOutputModeOfAnAggregationCannotChange() throws Exception {
    QueryChange.Verdict verdict = edit("outputMode: update", "outputMode: complete");
    assertThat(verdict.kind()).isEqualTo(Kind.StateIncompatible);
    assertThat(verdict.reasons())
        .singleElement()
        .asString()
        .contains("spec.outputMode: update to complete");
  }

  private static final String STATELESS =
      SPEC.replace(
              "SELECT country, COUNT(*) AS n FROM orders GROUP BY country",
              "SELECT country FROM orders")
          .replace("outputMode: update", "outputMode: append");

  @Test
  void anAggregationAddedToAStatelessQueryIsIncompatible() throws Exception {
    String stateless = STATELESS;
    QueryChange.Verdict verdict = QueryChange.classify(load(stateless), load(SPEC));
    assertThat(verdict.kind()).isEqualTo(Kind.StateIncompatible);
    assertThat(verdict.reasons()).singleElement().asString().contains("the query now keeps state");
    // and back: the old state is left unused
    assertThat(QueryChange.classify(load(SPEC), load(stateless)).kind())
        .isEqualTo(Kind.RestartFromCheckpoint);
  }

  @Test
  void aRewindRestartsFromTheCheckpointAndSaysWhereItReplaysFrom() throws Exception {
    QueryChange.Verdict verdict =
        edit("  runner:\n", "  rewind: {nonce: 2, from: Batch, batchId: 7}\n  runner:\n");
    assertThat(verdict.kind()).isEqualTo(Kind.RestartFromCheckpoint);
    assertThat(verdict.reasons()).containsExactly("spec.rewind: the runners replay from 2:batch:7");
  }

  @Test
  void aResetCheckpointAcceptsAnything() throws Exception {
    QueryChange.Verdict verdict = edit("  runner:\n", "  checkpoint: {resetNonce: 1}\n  runner:\n");
    assertThat(verdict.kind()).isEqualTo(Kind.RestartFromEmptyCheckpoint);
  }

  @Test
  void anotherParallelismOverFileSourcesIsIncompatible() throws Exception {
    QueryChange.Verdict verdict =
        QueryChange.classify(
            load(STATELESS),
            load(STATELESS.replace("  runner:\n", "  parallelism: 2\n  runner:\n")));
    assertThat(verdict.kind()).isEqualTo(Kind.StateIncompatible);
    assertThat(verdict.reasons()).singleElement().asString().startsWith("spec.parallelism: 1 to 2");
  }
}
