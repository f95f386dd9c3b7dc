package dev.streamloop.engine.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.state.KeyGroups;
import dev.streamloop.engine.state.StateStore;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the RocksDB store does: incremental checkpoints and their failure modes. */
class RocksDbStateStoreTest {
  private static final int KEYS = 100_000;

  @TempDir Path checkpoint;
  @TempDir Path local;

  private RocksDbStateStore open(long version) {
    return RocksDbStateStore.load(
        checkpoint, version, new KeyGroups(16), local, RocksDbMemory.forLimit(64 << 20));
  }

  /** Sets every {@code step}-th key of all KEYS to {@code value}; returns the commit. */
  private static StateStore.Commit change(RocksDbStateStore store, int step, long value) {
    for (int k = 0; k < KEYS; k += step) {
      store.update(List.of("user-" + k), () -> new Object[] {0L})[0] = value;
    }
    return store.commit();
  }

  private List<Path> sstFiles() throws Exception {
    try (Stream<Path> files = Files.list(checkpoint.resolve("sst"))) {
      return files.sorted().toList();
    }
  }

  @Test
  void aCommitCopiesOnlyNewFilesSoItsBytesFollowTheKeysItChanged() {
    try (RocksDbStateStore store = open(0)) {
      StateStore.Commit all = change(store, 1, 1);
      StateStore.Commit tenth = change(store, 10, 2);
      StateStore.Commit hundredth = change(store, 100, 3);

      assertThat(store.size()).isEqualTo(KEYS);
      assertThat(tenth.bytesWritten()).isLessThan(all.bytesWritten() / 4);
      assertThat(hundredth.bytesWritten()).isLessThan(tenth.bytesWritten() / 3);
      assertThat(hundredth.updated()).isEqualTo(KEYS / 100);
    }
    try (RocksDbStateStore store = open(3)) {
      assertThat(store.get(List.of("user-100"))).containsExactly(3L);
      assertThat(store.get(List.of("user-10"))).containsExactly(2L);
      assertThat(store.get(List.of("user-1"))).containsExactly(1L);
      assertThat(store.size()).isEqualTo(KEYS);
    }
  }

  @Test
  void filesOfARunnerKilledMidUploadAreIgnoredThenDeleted() throws Exception {
    try (RocksDbStateStore store = open(0)) {
      change(store, 1, 1);
    }
    List<Path> committed = sstFiles();
    // a killed commit of version 2: SST files uploaded (one whole, one half), no version file
    Path orphan = checkpoint.resolve("sst").resolve("000099-dead.sst");
    Files.write(orphan, new byte[] {1, 2, 3});
    Path partial = checkpoint.resolve("sst").resolve(".000100-dead.sst.1234.tmp");
    Files.write(partial, new byte[] {4});

    try (RocksDbStateStore store = open(1)) {
      assertThat(store.size()).isEqualTo(KEYS);
      change(store, 2, 5);
      store.purge(2);
    }
    assertThat(orphan).doesNotExist();
    assertThat(partial).doesNotExist();
    assertThat(sstFiles()).containsAll(committed);
    try (RocksDbStateStore store = open(2)) {
      assertThat(store.get(List.of("user-2"))).containsExactly(5L);
    }
  }

  @Test
  void retentionDeletesVersionsAndTheFilesOnlyTheyNeeded() throws Exception {
    try (RocksDbStateStore store = open(0)) {
      for (int v = 1; v <= 12; v++) {
        change(store, 7, v);
        store.purge(3);
      }
    }
    assertThat(checkpoint.resolve("9.rocksdb")).doesNotExist();
    assertThat(checkpoint.resolve("10.rocksdb")).exists();
    List<String> needed = new java.util.ArrayList<>();
    for (long v = 10; v <= 12; v++) {
      needed.addAll(RocksDbVersion.storedNames(checkpoint, v));
    }
    assertThat(sstFiles().stream().map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrderElementsOf(new java.util.HashSet<>(needed));
  }

  @Test
  void aDamagedOrMissingSstFileStopsTheRestoreNamingIt() throws Exception {
    try (RocksDbStateStore store = open(0)) {
      change(store, 1, 1);
    }
    Path sst = sstFiles().get(0);
    byte[] bytes = Files.readAllBytes(sst);
    bytes[bytes.length / 2] ^= 1;
    Files.write(sst, bytes);

    assertThatThrownBy(() -> open(1))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(sst.toString())
        .hasMessageContaining("fails its checksum")
        .hasMessageContaining("spec.checkpoint.resetNonce");

    Files.delete(sst);
    assertThatThrownBy(() -> open(1))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(sst.toString())
        .hasMessageContaining("missing");

    Files.writeString(checkpoint.resolve("1.rocksdb"), "{\"format\":1,");
    assertThatThrownBy(() -> open(1))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("1.rocksdb")
        .hasMessageContaining("cannot be read");
  }

  @Test
  void aFullLocalVolumeFailsTheBatchAndTheCommittedStateSurvives() throws Exception {
    Path small = Files.createDirectories(local.resolve("small"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", small.toString())
            .redirectErrorStream(true)
            .start();
    assumeTrue(mount.waitFor() == 0, "needs root to mount a 3 MiB tmpfs as the full volume");
    try {
      RocksDbStateStore store =
          RocksDbStateStore.load(
              checkpoint, 0, new KeyGroups(16), small, RocksDbMemory.forLimit(64 << 20));
      for (int k = 0; k < 1_000; k++) {
        store.put(List.of("user-" + k), new Object[] {1L});
      }
      store.commit();
      for (int k = 0; k < 300_000; k++) {
        store.put(List.of("many-" + k, "x".repeat(20)), new Object[] {(long) k});
      }

      assertThatThrownBy(store::commit)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(small.toString())
          .hasMessageContaining("is it full?")
          .hasMessageContaining("No space left on device");
      assertThat(store.hasUncommittedChanges()).isTrue();
      assertThat(checkpoint.resolve("2.rocksdb")).doesNotExist();
      store.close();

      // the batch's re-run starts from version 1, rebuilt in the emptied volume
      try (RocksDbStateStore rerun =
          RocksDbStateStore.load(
              checkpoint, 1, new KeyGroups(16), small, RocksDbMemory.forLimit(64 << 20))) {
        assertThat(rerun.size()).isEqualTo(1_000);
        assertThat(rerun.get(List.of("user-999"))).containsExactly(1L);
        rerun.put(List.of("user-1000"), new Object[] {1L});
        assertThat(rerun.commit().version()).isEqualTo(2);
      }
    } finally {
      new ProcessBuilder("umount", small.toString()).start().waitFor();
    }
  }

  @Test
  void memoryIsAQuarterOfTheContainerLimitWithTheMemtablesChargedToIt() {
    RocksDbMemory memory = RocksDbMemory.forLimit(512L << 20);
    assertThat(memory.cacheBytes()).isEqualTo(128L << 20);
    assertThat(memory.writeBufferBytes()).isEqualTo(64L << 20);
    assertThat(memory.memtableBytes()).isEqualTo(16L << 20);
    assertThat(RocksDbMemory.forLimit(16L << 20).cacheBytes()).isEqualTo(16L << 20);
    assertThat(RocksDbMemory.containerLimit("1073741824")).isEqualTo(1L << 30);
  }
}
