package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark's output-mode rules as `validate` reports them, with the field and the fix. */
class OutputModeRulesTest {
  @TempDir Path dir;

  private List<String> errors(String query, String outputMode, String sink, int parallelism)
      throws Exception {
    Path file = dir.resolve("q.yaml");
    Files.writeString(
        file,
        """
        apiVersion: streamloop.dev/v1alpha1
        kind: StreamingQuery
        metadata: {name: q}
        spec:
          sources:
            - name: events
              rate: {rowsPerBatch: 10}
          query: '%s'
          sinks:
            - name: out
              %s
          outputMode: %s
          parallelism: %d
          trigger: {availableNow: {}}
          runner:
            volumes: [{name: data, mountPath: /data, emptyDir: {}}]
        """
            .formatted(query, sink, outputMode, parallelism));
    InvalidQueryException e =
        catchThrowableOfType(
            () -> QueryAssembler.check(QueryFiles.load(file)), InvalidQueryException.class);
    return e == null ? List.of() : e.errors();
  }

  private static final String COUNTS =
      "SELECT MOD(\"value\", 3) AS k, COUNT(*) AS c FROM events GROUP BY MOD(\"value\", 3)";
  private static final String CONSOLE = "console: {}";
  private static final String FILES = "file: {path: /data/out}";

  @Test
  void anAggregationRunsInUpdateOrCompleteModeOnAConsoleSink() throws Exception {
    assertThat(errors(COUNTS, "update", CONSOLE, 1)).isEmpty();
    assertThat(errors(COUNTS, "complete", CONSOLE, 1)).isEmpty();
  }

  @Test
  void anAggregationInAppendModeNeedsAWatermark() throws Exception {
    assertThat(errors(COUNTS, "append", CONSOLE, 1))
        .singleElement()
        .asString()
        .startsWith(
            "spec.outputMode: [STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming"
                + " output mode: append. This output mode is not supported for streaming"
                + " aggregations without watermark")
        .endsWith("or use update or complete");
  }

  @Test
  void stateNeedsOneRunner() throws Exception {
    assertThat(errors(COUNTS, "complete", CONSOLE, 2))
        .containsExactly(
            "spec.parallelism: a stateful query (GROUP BY, deduplication) needs parallelism 1, its state is not"
                + " split between runners; set parallelism: 1");
  }

  @Test
  void theFileSinkTakesOnlyAppendByTheCrdsOwnRule() throws Exception {
    assertThat(errors(COUNTS, "complete", FILES, 1))
        .singleElement()
        .asString()
        .startsWith("spec.outputMode: file sinks support only outputMode append (as in Spark)");
  }

  @Test
  void aStatelessQueryHasNoCompleteMode() throws Exception {
    assertThat(errors("SELECT \"value\" FROM events", "complete", CONSOLE, 1))
        .singleElement()
        .asString()
        .contains(
            "Invalid streaming output mode: complete. This output mode is not supported for no"
                + " streaming aggregations");
  }
}
