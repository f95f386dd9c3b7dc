package dev.streamloop.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResetTest {
  @TempDir Path dir;

  private void file(String path) throws Exception {
    Files.createDirectories(dir.resolve(path).getParent());
    Files.writeString(dir.resolve(path), path);
  }

  @Test
  void aFullResetKilledHalfWayFinishesTheMoveOnTheNextStart() throws Exception {
    file("metadata");
    file("offsets/0");
    file("commits/0");
    file("lock");
    file("before-g2/metadata"); // an earlier reset's data stays where it is
    // killed after moving metadata: the partial directory holds it
    file(".before-g5.partial/manifest");

    boolean reset = new CheckpointReset(CheckpointReset.Scope.ALL, 5).applyTo(dir);

    assertThat(reset).isTrue();
    assertThat(dir.resolve("before-g5/manifest")).exists();
    assertThat(dir.resolve("before-g5/offsets/0")).exists();
    assertThat(dir.resolve("before-g5/commits/0")).exists();
    assertThat(dir.resolve("before-g2/metadata")).exists();
    assertThat(dir.resolve("lock")).exists();
    assertThat(dir.resolve("offsets")).doesNotExist();
    assertThat(new CheckpointReset(CheckpointReset.Scope.ALL, 5).applyTo(dir)).isFalse();
  }

  @Test
  void aStateResetStartsEachOperatorAtTheVersionTheNextBatchLoads() throws Exception {
    file("offsets/6");
    file("commits/5");
    file("state/0/6.delta");
    file("state/0/_schema");

    new CheckpointReset(CheckpointReset.Scope.STATE, 4).applyTo(dir);

    // batch 6 has no commit: it is re-run, loading version 6
    assertThat(dir.resolve("state/0/6.snapshot")).exists();
    assertThat(dir.resolve("state/0/_schema")).doesNotExist();
    assertThat(dir.resolve("state-before-g4/0/6.delta")).exists();
    assertThat(dir.resolve("offsets/6")).exists();
  }

  @Test
  void aStateResetKilledBetweenItsMovesPutsTheNewStateInPlace() throws Exception {
    file("state-before-g4/0/6.delta");
    file(".state-before-g4.partial/0/6.snapshot");

    assertThat(new CheckpointReset(CheckpointReset.Scope.STATE, 4).applyTo(dir)).isFalse();

    assertThat(dir.resolve("state/0/6.snapshot")).exists();
  }

  @Test
  void theOperatorsFormIsParsedAndAnythingElseNamesTheExpectedForm() {
    assertThat(CheckpointReset.parse("state@7"))
        .contains(new CheckpointReset(CheckpointReset.Scope.STATE, 7));
    assertThat(CheckpointReset.parse(" ")).isEmpty();
    assertThatThrownBy(() -> CheckpointReset.parse("all"))
        .hasMessageContaining("expected state@GENERATION or all@GENERATION");
  }
}
