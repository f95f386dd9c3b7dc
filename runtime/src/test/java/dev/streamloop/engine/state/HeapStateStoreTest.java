package dev.streamloop.engine.state;

import static dev.streamloop.engine.state.StateStoreContractTest.counts;
import static dev.streamloop.engine.state.StateStoreContractTest.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.checkpoint.CheckpointException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapStateStoreTest {
  private static final KeyGroups GROUPS = new KeyGroups(8);

  @TempDir Path dir;

  /** Version v holds counts "k0".."k(v-1)" = v, and "gone" only in version 1. */
  private HeapStateStore commitVersions(int versions, int snapshotInterval) {
    HeapStateStore store = HeapStateStore.load(dir, 0, snapshotInterval, GROUPS);
    for (int v = 1; v <= versions; v++) {
      for (int k = 0; k < v; k++) {
        store.put(key("k" + k), new Object[] {(long) v});
      }
      if (v == 1) {
        store.put(key("gone"), new Object[] {1L});
      } else {
        store.remove(key("gone"));
      }
      store.commit();
    }
    return store;
  }

  @Test
  void everyCommittedVersionLoadsExactlyFromDeltasAndSnapshots() {
    commitVersions(7, 3);

    assertThat(counts(HeapStateStore.load(dir, 0, 3, GROUPS))).isEmpty();
    assertThat(counts(HeapStateStore.load(dir, 1, 3, GROUPS)))
        .containsExactly(Map.entry("gone", 1L), Map.entry("k0", 1L));
    assertThat(counts(HeapStateStore.load(dir, 5, 3, GROUPS)))
        .containsExactly(
            Map.entry("k0", 5L),
            Map.entry("k1", 5L),
            Map.entry("k2", 5L),
            Map.entry("k3", 5L),
            Map.entry("k4", 5L));
    assertThat(HeapStateStore.load(dir, 7, 3, GROUPS).size()).isEqualTo(7);
    assertThat(dir.resolve("6.snapshot")).exists();
  }

  @Test
  void aReRunVersionReplacesWhatTheFailedAttemptCommitted() {
    HeapStateStore store = HeapStateStore.load(dir, 0, 10, GROUPS);
    store.put(key("a"), new Object[] {1L});
    store.commit();
    store.put(key("a"), new Object[] {99L}); // an attempt of version 2 that counted twice
    store.commit();

    HeapStateStore rerun = HeapStateStore.load(dir, 1, 10, GROUPS);
    rerun.put(key("a"), new Object[] {2L});
    StateStore.Commit commit = rerun.commit();

    assertThat(commit.version()).isEqualTo(2);
    assertThat(commit.updated()).isEqualTo(1);
    assertThat(counts(HeapStateStore.load(dir, 2, 10, GROUPS))).containsExactly(Map.entry("a", 2L));
  }

  @Test
  void valuesOfEveryColumnKindAndNullKeysSurviveARoundTrip() {
    HeapStateStore store = HeapStateStore.load(dir, 0, 10, GROUPS);
    store.put(mixedKey(), new Object[] {Long.MIN_VALUE, 2.5, null, false});
    store.commit();

    Object[] value = HeapStateStore.load(dir, 1, 10, GROUPS).get(mixedKey());

    assertThat(value).containsExactly(Long.MIN_VALUE, 2.5, null, false);
  }

  private static List<Object> mixedKey() {
    return key(null, 7, "ü", true, new BigDecimal("-12.3400"), new ByteString(new byte[] {1, 2}));
  }

  @Test
  void retentionKeepsWhatTheLastVersionsNeed() {
    HeapStateStore store = commitVersions(9, 3);

    store.purge(4); // versions 6..9 must stay loadable: snapshot 6 and deltas 7..9 suffice

    assertThat(dir.resolve("3.snapshot")).doesNotExist();
    assertThat(dir.resolve("6.delta")).doesNotExist();
    assertThat(dir.resolve("6.snapshot")).exists();
    assertThat(HeapStateStore.load(dir, 6, 3, GROUPS).size()).isEqualTo(6);
    assertThat(HeapStateStore.load(dir, 9, 3, GROUPS).size()).isEqualTo(9);
  }

  @Test
  void eachKeyGroupIsASectionOfItsOwnAndFilesOfEarlierReleasesStillLoad() throws Exception {
    HeapStateStore store = commitVersions(3, 10);
    for (int group = 0; group < GROUPS.count(); group++) {
      int g = group;
      store.forEachInKeyGroup(g, (key, value) -> assertThat(GROUPS.of(key)).isEqualTo(g));
    }
    byte[] delta = Files.readAllBytes(dir.resolve("3.delta"));
    assertThat(delta[4]).as("format").isEqualTo((byte) 2);
    // the earlier-releases resource holds format-1 files: read by StateSchemaMigrationTest
    assertThat(HeapStateStore.load(dir, 3, 10, new KeyGroups(64)).size()).isEqualTo(3);
  }

  @Test
  void aTruncatedDamagedOrMissingStateFileStopsWithTheFileNamed() throws Exception {
    commitVersions(4, 10);
    Path file = dir.resolve("3.delta");
    byte[] delta = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(delta, delta.length - 5));

    assertThatThrownBy(() -> HeapStateStore.load(dir, 4, 10, GROUPS))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("spec.checkpoint.resetNonce");

    delta[20] ^= 1; // a flipped bit inside a record
    Files.write(file, delta);
    assertThatThrownBy(() -> HeapStateStore.load(dir, 4, 10, GROUPS))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("3.delta");

    Files.delete(file);
    assertThatThrownBy(() -> HeapStateStore.load(dir, 4, 10, GROUPS))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("missing: state version 4 cannot be rebuilt");
  }
}
