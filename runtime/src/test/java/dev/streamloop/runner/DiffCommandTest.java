package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code streamloop diff OLD NEW [--checkpoint DIR]} as a pull-request check runs it. */
class DiffCommandTest extends RunnerCliFixture {

  @Test
  void anIncompatibleEditExits1WithItsReasons() throws Exception {
    Path old = aggregation("old", COUNT);
    Path edited = aggregation("new", COUNT.replace("COUNT(*)", "MAX(id)"));

    RunnerProcess diff = RunnerProcess.start(dir, "diff", old.toString(), edited.toString());

    assertThat(diff.exitCode(60)).as(diff.stderr()).isEqualTo(DiffCommand.INCOMPATIBLE);
    assertThat(diff.stdout())
        .startsWith("StateIncompatible\n")
        .contains("  spec.query: the aggregation changed");
  }

  @Test
  void validateAgainstTheRunningQueryPrintsTheVerdictAfterTheValidation() throws Exception {
    Path old = aggregation("old", COUNT);
    Path edited = aggregation("new", COUNT.replace("GROUP BY country", "GROUP BY country, id"));
    Path same = aggregation("same", COUNT);

    RunnerProcess incompatible =
        RunnerProcess.start(
            dir,
            "validate",
            edited.toString(),
            "--running",
            old.toString(),
            "--termination-log",
            dir.resolve("termination-log").toString());
    RunnerProcess compatible =
        RunnerProcess.start(dir, "validate", same.toString(), "--running", old.toString());

    assertThat(incompatible.exitCode(60))
        .as(incompatible.stderr())
        .isEqualTo(DiffCommand.INCOMPATIBLE);
    assertThat(incompatible.stdout())
        .startsWith(edited + ": valid\nStateIncompatible\n")
        .contains("  spec.query: the aggregation changed");
    // what the operator reads from the pod: the same text, in the termination message
    assertThat(dir.resolve("termination-log")).content().isEqualTo(incompatible.stdout());
    assertThat(compatible.exitCode(60)).as(compatible.stderr()).isEqualTo(ExitCodes.OK);
    assertThat(compatible.stdout()).isEqualTo(same + ": valid\nInPlace\n");
  }

  @Test
  void aCompatibleEditExits0() throws Exception {
    Path old = aggregation("old", COUNT);
    Path edited = aggregation("new", COUNT.replace("FROM orders", "FROM orders WHERE id > 0"));

    RunnerProcess diff = RunnerProcess.start(dir, "diff", old.toString(), edited.toString());

    assertThat(diff.exitCode(60)).as(diff.stderr()).isEqualTo(ExitCodes.OK);
    assertThat(diff.stdout()).isEqualTo("RestartFromCheckpoint\n");
  }

  @Test
  void theCheckpointIsConsultedAndLeftAsItWas() throws Exception {
    Path old = aggregation("old", COUNT);
    Files.writeString(dir.resolve("in/a.json"), "{\"id\":1,\"country\":\"de\"}\n");
    RunnerProcess run = runWithTerminationLog(old);
    assertThat(run.exitCode(60)).as(run.stderr()).isEqualTo(ExitCodes.OK);
    String manifest = Files.readString(dir.resolve("cp/manifest"));
    // the old spec given is already the edited one (a pull request on top of an unapplied
    // edit): only the checkpoint, whose state was kept for COUNT, can tell
    Path edited = aggregation("new", COUNT.replace("COUNT(*)", "SUM(id)"));

    RunnerProcess diff =
        RunnerProcess.start(
            dir, "diff", edited.toString(), edited.toString(), "--checkpoint", "cp");

    assertThat(diff.exitCode(60)).as(diff.stderr()).isEqualTo(DiffCommand.INCOMPATIBLE);
    assertThat(diff.stdout()).contains("the aggregation changed");
    assertThat(dir.resolve("cp/manifest")).content().isEqualTo(manifest);

    RunnerProcess missing =
        RunnerProcess.start(dir, "diff", old.toString(), old.toString(), "--checkpoint", "nowhere");
    assertThat(missing.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(missing.stderr()).contains("--checkpoint nowhere: no checkpoint there");
  }
}
