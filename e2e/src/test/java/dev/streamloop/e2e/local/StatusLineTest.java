package dev.streamloop.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusLineTest {
  @Test
  void aQueryPrintsAsKubectlGetWithItsBatchRowsAndDegradedReason() throws Exception {
    StreamingQuery query =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            new ByteArrayInputStream(
                """
                apiVersion: streamloop.dev/v1alpha1
                kind: StreamingQuery
                metadata: {name: q, creationTimestamp: "2026-11-24T07:00:00Z"}
                spec:
                  sources: [{name: t, rate: {rowsPerSecond: 10}}]
                  query: SELECT * FROM t
                  sinks: [{name: c, console: {}}]
                  outputMode: update
                status:
                  phase: Running
                  trigger: ProcessingTime(5s)
                  progress: {"0": {batchId: 12, numInputRows: 50, inputRowsPerSecond: 10.0}}
                  conditions:
                    - {type: Ready, status: "True", lastTransitionTime: "2026-11-24T07:00:05Z", reason: RunnersReady, message: ok}
                    - {type: Degraded, status: "True", lastTransitionTime: "2026-11-24T07:00:05Z", reason: CrashLoop, message: keeps failing}
                """
                    .getBytes(StandardCharsets.UTF_8)),
            StreamingQuery.class);

    String line = StatusLine.line(query, Instant.parse("2026-11-24T07:02:30Z"));

    assertThat(line.split("\\s+"))
        .startsWith(
            "q", "Running", "ProcessingTime(5s)", "update", "12", "50", "10.0", "True", "2m30s");
    assertThat(line).endsWith("Degraded: CrashLoop: keeps failing");
    assertThat(StatusLine.columns(query)).doesNotContain("2m30s"); // a new age alone prints nothing
  }

  @Test
  void agesReadAsKubectlPrintsThem() {
    assertThat(StatusLine.age(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(StatusLine.age(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(StatusLine.age(Duration.ofMinutes(125))).isEqualTo("2h5m");
  }
}
