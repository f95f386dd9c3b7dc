package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** spec.rewind as the runner does it: a replay into the same sinks, once per nonce. */
class RewindTest extends RunnerCliFixture {
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  private Path rate(String sql, String mode) throws Exception {
    return query(
        "ticks",
        """
        sources:
          - name: ticks
            rate: {rowsPerBatch: 5}
        query: %s
        sinks:
          - name: out
            %s
        outputMode: %s
        trigger: {availableNow: {}}
        """
                .formatted(
                    sql, mode.equals("append") ? "file: {path: /data/out}" : "console: {}", mode)
            + RunnerProcess.DATA_VOLUME);
  }

  private RunnerProcess run(Path query, String... rewind) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("run", "--query", query.toString(), "--checkpoint", "cp"));
    if (rewind.length > 0) {
      args.addAll(List.of("--rewind", rewind[0]));
    }
    RunnerProcess runner = RunnerProcess.start(dir, args.toArray(String[]::new));
    assertThat(runner.exitCode(60)).as(runner.stderr()).isZero();
    return runner;
  }

  private List<Long> values() throws Exception {
    return committedOutput(dir.resolve("out"))
        .lines()
        .map(l -> Long.parseLong(l.replaceAll(".*\"value\":(\\d+).*", "$1")))
        .toList();
  }

  @Test
  void aRewindToABatchReplaysFromItsStartIntoTheSameSinkOncePerNonce() throws Exception {
    Path query = rate("SELECT \"value\" FROM ticks", "append");
    for (int i = 0; i < 3; i++) {
      run(query);
    }
    assertThat(values()).containsExactlyElementsOf(range(0, 15));

    RunnerProcess rewound = run(query, "1:batch:1");
    RunnerProcess again = run(query, "1:batch:1");
    RunnerProcess earliest = run(query, "2:earliest");

    assertThat(rewound.stderr()).contains("rewind 1:batch:1 recorded as batch 3");
    assertThat(again.stderr()).doesNotContain("recorded as batch");
    assertThat(earliest.stderr()).contains("rewind 2:earliest recorded as batch 6");
    List<Long> expected = new ArrayList<>(range(0, 15));
    expected.addAll(range(5, 10)); // batch 1 again
    expected.addAll(range(10, 15)); // and on from there, not again from 5
    expected.addAll(range(0, 5)); // from the start
    assertThat(values()).containsExactlyElementsOf(expected);
    assertThat(dir.resolve("cp/rewinds/1")).content().contains("batch 3 replays from 1:batch:1");
  }

  @Test
  void anAggregationRewoundToABatchGoesBackToItsStateBeforeIt() throws Exception {
    Path query = rate("SELECT COUNT(*) AS n, SUM(\"value\") AS total FROM ticks", "complete");
    run(query);
    run(query);

    // batch 1 replayed: the state before it (batch 0's 5 rows), then batch 1's rows again
    RunnerProcess rewound = run(query, "1:batch:1");

    assertThat(rewound.stdout()).containsPattern("\\|\\s*10\\|\\s*45\\|");
  }

  @Test
  void aFileSourceIsRefusedWithWhatToDo() throws Exception {
    Path query = query("files", fileToFile("SELECT id FROM orders", "Fail"));
    Files.writeString(dir.resolve("in/a.json"), "{\"id\":1,\"country\":\"de\"}\n");
    run(query);

    RunnerProcess refused =
        RunnerProcess.start(
            dir, "run", "--query", query.toString(), "--checkpoint", "cp", "--rewind", "1:batch:0");

    assertThat(refused.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(refused.stderr()).contains("cannot be rewound", "spec.checkpoint.resetNonce");
  }

  @Test
  void aKafkaSourceRewindsToATimeWithOffsetsForTimes() throws Exception {
    broker.createTopic("clicks", 2);
    Path query =
        query(
            "clicks",
            """
            sources:
              - name: clicks
                kafka: {bootstrapServers: BROKERS, topics: [clicks], startingOffsets: earliest}
                schema: [{name: id, type: long}]
            query: SELECT id FROM clicks
            sinks:
              - name: out
                file: {path: /data/out}
            trigger: {availableNow: {}}
            """
                    .replace("BROKERS", broker.bootstrapServers())
                + RunnerProcess.DATA_VOLUME);
    broker.produce("clicks", json(0, 10));
    Instant between = Instant.now().plusMillis(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(between));
    broker.produce("clicks", json(10, 20));
    run(query);

    run(query, "1:timestamp:" + between);
    run(query, "2:earliest");

    List<Long> ids =
        committedOutput(dir.resolve("out"))
            .lines()
            .map(l -> Long.parseLong(l.replaceAll(".*\"id\":(\\d+).*", "$1")))
            .sorted()
            .toList();
    List<Long> expected = new ArrayList<>(range(0, 20));
    expected.addAll(range(10, 20)); // from the time: the second half again
    expected.addAll(range(0, 20)); // from the earliest: all again
    assertThat(ids).containsExactlyElementsOf(expected.stream().sorted().toList());
  }

  private static List<String> json(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "{\"id\":" + i + "}").toList();
  }

  private static List<Long> range(long from, long to) {
    return java.util.stream.LongStream.range(from, to).boxed().toList();
  }
}
