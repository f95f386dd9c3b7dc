package dev.streamloop.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.engine.state.StateStoreSettings.Kind;
import dev.streamloop.engine.state.rocksdb.RocksDbMemory;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.calcite.avatica.util.ByteString;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every state store does, run against each of them. */
class StateStoreContractTest {
  @TempDir Path checkpoint;
  @TempDir Path local;

  private StateStoreSettings settings(Kind kind) {
    return new StateStoreSettings(
        0, kind, new KeyGroups(16), local, RocksDbMemory.forLimit(64 << 20));
  }

  private StateStore open(Kind kind, long version) {
    return StateStores.open(checkpoint, version, settings(kind));
  }

  static List<Object> key(Object... values) {
    return Arrays.asList(values);
  }

  /** The first key column and first value of every entry, sorted. */
  static Map<String, Long> counts(StateStore store) {
    Map<String, Long> counts = new TreeMap<>();
    store.forEach((k, v) -> counts.put(String.valueOf(k.get(0)), (Long) v[0]));
    return counts;
  }

  /** Version v holds "k0".."k(v-1)" = v, and "gone" only in version 1. */
  private void commitVersions(Kind kind, int versions) {
    try (StateStore store = open(kind, 0)) {
      for (int v = 1; v <= versions; v++) {
        for (int k = 0; k < v; k++) {
          store.update(key("k" + k), () -> new Object[] {0L})[0] = (long) v;
        }
        if (v == 1) {
          store.put(key("gone"), new Object[] {1L});
        } else {
          store.remove(key("gone"));
        }
        assertThat(store.size()).isEqualTo(v == 1 ? 2 : v);
        store.commit();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void everyCommittedVersionLoadsExactly(Kind kind) {
    commitVersions(kind, 12);

    try (StateStore store = open(kind, 1)) {
      assertThat(counts(store)).containsExactly(Map.entry("gone", 1L), Map.entry("k0", 1L));
    }
    try (StateStore store = open(kind, 5)) {
      assertThat(counts(store)).hasSize(5).containsEntry("k4", 5L).doesNotContainKey("gone");
      assertThat(store.size()).isEqualTo(5);
    }
    try (StateStore store = open(kind, 12)) {
      assertThat(store.get(key("k11"))).containsExactly(12L);
      assertThat(store.get(key("gone"))).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aReRunVersionReplacesWhatTheFailedAttemptCommitted(Kind kind) {
    try (StateStore store = open(kind, 0)) {
      store.put(key("a"), new Object[] {1L});
      store.commit();
      store.put(key("a"), new Object[] {99L}); // an attempt of version 2 that counted twice
      store.commit();
    }
    try (StateStore rerun = open(kind, 1)) {
      rerun.put(key("a"), new Object[] {2L});
      StateStore.Commit commit = rerun.commit();
      assertThat(commit.version()).isEqualTo(2);
      assertThat(commit.updated()).isEqualTo(1);
    }
    try (StateStore store = open(kind, 2)) {
      assertThat(counts(store)).containsExactly(Map.entry("a", 2L));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void uncommittedChangesAreVisibleToScansAndFlagTheStore(Kind kind) {
    try (StateStore store = open(kind, 0)) {
      store.put(key("a"), new Object[] {1L});
      store.commit();
      assertThat(store.hasUncommittedChanges()).isFalse();
      store.update(key("a"), () -> new Object[] {0L})[0] = 5L;
      store.put(key("b"), new Object[] {7L});

      assertThat(store.hasUncommittedChanges()).isTrue();
      assertThat(counts(store)).containsExactly(Map.entry("a", 5L), Map.entry("b", 7L));
      store.remove(key("b"));
      assertThat(counts(store)).containsExactly(Map.entry("a", 5L));
      assertThat(store.changes()).containsKeys(key("a"), key("b"));
    }
    try (StateStore store = open(kind, 1)) {
      assertThat(counts(store)).containsExactly(Map.entry("a", 1L));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void valuesOfEveryColumnKindAndNullKeysSurviveARoundTrip(Kind kind) {
    List<Object> mixed =
        key(null, 7, "ü", true, new BigDecimal("-12.3400"), new ByteString(new byte[] {1, 2}));
    try (StateStore store = open(kind, 0)) {
      store.put(mixed, new Object[] {Long.MIN_VALUE, 2.5, null, false});
      store.commit();
    }
    try (StateStore store = open(kind, 1)) {
      assertThat(store.get(mixed)).containsExactly(Long.MIN_VALUE, 2.5, null, false);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void eachKeyGroupScansOnlyItsOwnKeys(Kind kind) {
    KeyGroups groups = settings(kind).keyGroups();
    try (StateStore store = open(kind, 0)) {
      for (int i = 0; i < 200; i++) {
        store.put(key("user-" + i), new Object[] {(long) i});
      }
      store.commit();
      List<Object> seen = new ArrayList<>();
      for (int group = 0; group < groups.count(); group++) {
        int g = group;
        store.forEachInKeyGroup(
            g,
            (k, v) -> {
              assertThat(groups.of(k)).isEqualTo(g);
              seen.add(k.get(0));
            });
      }
      assertThat(seen).hasSize(200).doesNotHaveDuplicates();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void retentionKeepsTheLastVersionsLoadable(Kind kind) {
    commitVersions(kind, 9);
    try (StateStore store = open(kind, 9)) {
      store.purge(4);
    }
    for (long v = 6; v <= 9; v++) {
      try (StateStore store = open(kind, v)) {
        assertThat(store.size()).isEqualTo(v);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void switchingTheStoreCopiesTheStateAcross(Kind kind) {
    commitVersions(kind, 4);
    Kind other = kind == Kind.HEAP ? Kind.ROCKSDB : Kind.HEAP;

    try (StateStore store = open(other, 4)) {
      assertThat(counts(store)).hasSize(4).containsEntry("k3", 4L);
      store.put(key("k9"), new Object[] {5L});
      store.commit();
    }
    try (StateStore store = open(other, 5)) {
      assertThat(store.size()).isEqualTo(5);
    }
    // and back again, from the version the other store wrote
    try (StateStore store = open(kind, 5)) {
      assertThat(counts(store)).hasSize(5).containsEntry("k9", 5L);
    }
  }
}
