package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A query whose spec.state.store changes between runs keeps its state (copied into the new store
 * when the runner starts), and a damaged RocksDB file stops the runner naming it.
 */
class StateStoreSwitchRunTest extends RunnerCliFixture {
  private void input(String file, String lines) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in").resolve(file), lines);
  }

  private RunnerProcess run(String store) throws Exception {
    Path query =
        query(
            "count-" + store,
            aggregationSpec(COUNT)
                .replace(
                    "outputMode: update", "outputMode: update\nstate: {store: " + store + "}"));
    RunnerProcess runner =
        RunnerProcess.start(dir, "run", "--query", query.toString(), "--checkpoint", "cp");
    assertThat(runner.exitCode(60)).as(runner.stderr()).isZero();
    return runner;
  }

  @Test
  void switchingStoresKeepsTheCountsAndTheManifestRecordsTheKeyGroups() throws Exception {
    input("a.json", "{\"id\":1,\"country\":\"de\"}\n{\"id\":2,\"country\":\"de\"}\n");
    assertThat(run("heap").stdout()).containsPattern("\\|\\s*de\\|\\s*2\\|");

    input("b.json", "{\"id\":3,\"country\":\"de\"}\n");
    RunnerProcess rocksdb = run("rocksdb");
    assertThat(rocksdb.stdout()).containsPattern("\\|\\s*de\\|\\s*3\\|");
    assertThat(rocksdb.stderr()).contains("moved from the heap store to the rocksdb store");
    Path state = dir.resolve("cp/state/0");
    assertThat(state.resolve("2.rocksdb")).exists();
    try (Stream<Path> files = Files.list(state)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".delta"));
    }
    assertThat(dir.resolve("cp/manifest"))
        .content()
        .contains(
            "\"stateOperators\":[{\"id\":0,\"kind\":\"aggregate\",\"keyGroups\":64,\"store\":\"rocksdb\"}]");

    input("c.json", "{\"id\":4,\"country\":\"de\"}\n");
    assertThat(run("heap").stdout()).containsPattern("\\|\\s*de\\|\\s*4\\|");
  }

  @Test
  void aDamagedRocksDbFileStopsTheRunnerWithExit2NamingIt() throws Exception {
    input("a.json", "{\"id\":1,\"country\":\"de\"}\n");
    run("rocksdb");
    Path sst;
    try (Stream<Path> files = Files.list(dir.resolve("cp/state/0/sst"))) {
      sst = files.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(sst);
    bytes[bytes.length / 2] ^= 1;
    Files.write(sst, bytes);
    input("b.json", "{\"id\":2,\"country\":\"de\"}\n");

    Path query = dir.resolve("count-rocksdb.yaml");
    RunnerProcess refused =
        RunnerProcess.start(dir, "run", "--query", query.toString(), "--checkpoint", "cp");

    assertThat(refused.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(refused.stderr())
        .contains(sst.getFileName().toString())
        .contains("fails its checksum");
  }
}
