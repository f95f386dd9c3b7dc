package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * More groups than the runner's heap (256 MB here) holds: the heap store stops with exit 2 and the
 * advice to use RocksDB; RocksDB holds them all when each batch changes a share the heap can take,
 * and says which read limit to lower when one batch changes too many.
 */
class LargeStateRunTest extends RunnerCliFixture {
  private static final int GROUPS = 1_000_000;
  private static final int FILES = 10;

  private void writeGroups() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    int perFile = GROUPS / FILES;
    for (int f = 0; f < FILES; f++) {
      StringBuilder lines = new StringBuilder();
      for (int g = f * perFile; g < (f + 1) * perFile; g++) {
        lines.append("{\"id\":").append(g).append(",\"country\":\"u").append(g).append("\"}\n");
      }
      Files.writeString(in.resolve(String.format("part-%02d.json", f)), lines);
    }
  }

  private RunnerProcess run(String name, String store, int filesPerBatch) throws Exception {
    Path query =
        query(
            name,
            aggregationSpec(COUNT)
                .replace(
                    "file: {path: /data/in}",
                    "file: {path: /data/in, maxFilesPerTrigger: " + filesPerBatch + "}")
                .replace(
                    "outputMode: update", "outputMode: update\nstate: {store: " + store + "}"));
    return RunnerProcess.start(
        dir, "run", "--query", query.toString(), "--checkpoint", "cp-" + name);
  }

  @Test
  void rocksDbHoldsMoreGroupsThanTheHeapWhereTheHeapStoreStopsWithAdvice() throws Exception {
    writeGroups();

    RunnerProcess heap = run("heap", "heap", FILES);
    assertThat(heap.exitCode(120)).as(heap.stderr()).isEqualTo(ExitCodes.INVALID);
    assertThat(heap.stderr()).contains("set spec.state.store: rocksdb");

    RunnerProcess oneBatch = run("one-batch", "rocksdb", FILES);
    assertThat(oneBatch.exitCode(120)).as(oneBatch.stderr()).isEqualTo(ExitCodes.INVALID);
    assertThat(oneBatch.stderr()).contains("this batch changed").contains("maxFilesPerTrigger");

    RunnerProcess rocksdb = run("rocksdb", "rocksdb", 1);
    assertThat(rocksdb.exitCode(180)).as(rocksdb.stderr()).isZero();
    assertThat(rocksdb.stderr()).contains("state: " + GROUPS + " keys (100000 updated");
  }
}
