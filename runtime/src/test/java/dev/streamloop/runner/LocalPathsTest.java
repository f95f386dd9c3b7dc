package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalPathsTest {
  @Test
  void aPathUnderAMountMovesIntoItsDirectoryAndTheDeepestMountWins() {
    LocalPaths paths = LocalPaths.parse("/data=/v/data;/data/in=/v/incoming;/tmp=/p/tmp");
    assertThat(paths.resolve("/data/out")).isEqualTo("/v/data/out");
    assertThat(paths.resolve("/data/in/*.json")).isEqualTo("/v/incoming/*.json");
    assertThat(paths.resolve("/data")).isEqualTo("/v/data");
    assertThat(paths.resolve("/database/x")).isEqualTo("/database/x");
    assertThat(LocalPaths.parse(null).resolve("/data/out")).isEqualTo("/data/out");
  }

  @Test
  void mountsFromTheCommandLineWinAndNeedAnAbsoluteSpecPath() {
    LocalPaths paths = LocalPaths.parse("/data=/v/data").with(java.util.List.of("/data=/laptop/d"));
    assertThat(paths.resolve("/data/in")).isEqualTo("/laptop/d/in");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> LocalPaths.NONE.with(java.util.List.of("data=/x")))
        .hasMessageContaining("--mount data=/x");
  }
}
