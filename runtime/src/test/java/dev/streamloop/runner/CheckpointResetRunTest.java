package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A runner told to reset its checkpoint for a generation, as the operator's evolution policy. */
class CheckpointResetRunTest extends RunnerCliFixture {
  private static final String SUM = "SELECT country, SUM(id) AS n FROM orders GROUP BY country";

  private void input(String file, String lines) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in").resolve(file), lines);
  }

  private RunnerProcess run(Path query, String... reset) throws Exception {
    String[] args = {"run", "--query", query.toString(), "--checkpoint", "cp"};
    if (reset.length > 0) {
      args =
          new String[] {
            args[0], args[1], args[2], args[3], args[4], "--reset-checkpoint", reset[0]
          };
    }
    return RunnerProcess.start(dir, args);
  }

  @Test
  void aStateResetKeepsTheOffsetsAndStartsTheAggregationEmptyOnce() throws Exception {
    input("a.json", "{\"id\":1,\"country\":\"de\"}\n{\"id\":2,\"country\":\"de\"}\n");
    RunnerProcess first = run(aggregation("count", COUNT));
    assertThat(first.exitCode(60)).as(first.stderr()).isZero();
    input("b.json", "{\"id\":5,\"country\":\"de\"}\n");
    Path sum = aggregation("sum", SUM);

    RunnerProcess refused = run(sum);
    assertThat(refused.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(refused.stderr()).contains("was kept for another aggregation");

    RunnerProcess reset = run(sum, "state@2");
    assertThat(reset.exitCode(60)).as(reset.stderr()).isZero();
    assertThat(reset.stderr()).contains("generation 2 starts with its checkpoint reset");
    // only b.json is new to the kept offsets: the sum starts from it
    assertThat(reset.stdout()).containsPattern("\\|\\s*de\\|\\s*5\\|");
    assertThat(dir.resolve("cp/state-before-g2/0/_schema")).content().contains("COUNT");

    input("c.json", "{\"id\":10,\"country\":\"de\"}\n");
    RunnerProcess again = run(sum, "state@2");
    assertThat(again.exitCode(60)).as(again.stderr()).isZero();
    assertThat(again.stderr()).doesNotContain("checkpoint reset");
    assertThat(again.stdout()).containsPattern("\\|\\s*de\\|\\s*15\\|");
  }

  @Test
  void aFullResetReadsEverySourceFromItsStartAndKeepsTheOldCheckpointAside() throws Exception {
    input("a.json", "{\"id\":1,\"country\":\"de\"}\n{\"id\":2,\"country\":\"de\"}\n");
    RunnerProcess first = run(aggregation("count", COUNT));
    assertThat(first.exitCode(60)).as(first.stderr()).isZero();

    RunnerProcess reset = run(aggregation("sum", SUM), "all@3");

    assertThat(reset.exitCode(60)).as(reset.stderr()).isZero();
    assertThat(reset.stdout()).containsPattern("\\|\\s*de\\|\\s*3\\|");
    assertThat(dir.resolve("cp/before-g3/commits/0")).exists();
    assertThat(dir.resolve("cp/commits/0")).exists();
    assertThat(dir.resolve("cp/lock")).exists();
  }

  @Test
  void aMalformedResetIsRefusedWithTheExpectedForm() throws Exception {
    RunnerProcess run = run(aggregation("count", COUNT), "everything");

    assertThat(run.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(run.stderr()).contains("expected state@GENERATION or all@GENERATION");
  }
}
