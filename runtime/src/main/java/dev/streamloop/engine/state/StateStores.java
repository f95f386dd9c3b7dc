package dev.streamloop.engine.state;

import com.google.common.hash.Hashing;
import dev.streamloop.engine.state.StateStoreSettings.Kind;
import dev.streamloop.engine.state.rocksdb.RocksDbStateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an operator's state store of the kind the spec asks for. A version is held by the store
 * that wrote it; when the spec switched stores since, the version is copied into the new store
 * first (a migration, logged), and the old store's files are deleted once the copy is committed:
 * switching {@code spec.state.store} keeps the state.
 */
public final class StateStores {
  private static final Logger LOG = LoggerFactory.getLogger(StateStores.class);
  private static final int HEAP_SNAPSHOT_INTERVAL = 10;

  private StateStores() {}

  /** The store of the operator whose checkpoint directory is {@code dir}, at {@code version}. */
  public static StateStore open(Path dir, long version, StateStoreSettings settings) {
    Kind other = settings.kind() == Kind.HEAP ? Kind.ROCKSDB : Kind.HEAP;
    if (version > 0 && !holds(settings.kind(), dir, version) && holds(other, dir, version)) {
      migrate(dir, version, settings.withKind(other), settings);
    }
    return load(dir, version, settings);
  }

  /** Whether {@code dir} holds {@code version} of any store. */
  public static boolean holdsAny(Path dir, long version) {
    return holds(Kind.HEAP, dir, version) || holds(Kind.ROCKSDB, dir, version);
  }

  /**
   * Writes version {@code from} again as {@code to}, in the store that holds it: where a query
   * rewound to an earlier batch starts again.
   */
  public static void copyVersion(Path dir, long from, long to, KeyGroups keyGroups)
      throws IOException {
    if (holds(Kind.ROCKSDB, dir, from)) {
      RocksDbStateStore.copyVersion(dir, from, to);
    } else {
      HeapStateStore.writeSnapshotOf(dir, from, to, keyGroups);
    }
  }

  private static StateStore load(Path dir, long version, StateStoreSettings settings) {
    return switch (settings.kind()) {
      case HEAP -> HeapStateStore.load(dir, version, HEAP_SNAPSHOT_INTERVAL, settings.keyGroups());
      case ROCKSDB ->
          RocksDbStateStore.load(
              dir, version, settings.keyGroups(), localDir(dir, settings), settings.memory());
    };
  }

  private static boolean holds(Kind kind, Path dir, long version) {
    return kind == Kind.HEAP
        ? HeapStateStore.holds(dir, version)
        : RocksDbStateStore.holds(dir, version);
  }

  private static void migrate(
      Path dir, long version, StateStoreSettings from, StateStoreSettings to) {
    long started = System.nanoTime();
    long keys;
    try (StateStore source = load(dir, version, from);
        StateStore target = load(dir, 0, to)) {
      keys = source.size();
      target.startAt(version - 1);
      source.forEach(target::put);
      target.commit();
    }
    deleteFiles(dir, from.kind());
    LOG.info(
        "state of {} moved from the {} store to the {} store at version {}: {} keys in {} ms",
        dir,
        from.kind().specName(),
        to.kind().specName(),
        version,
        keys,
        (System.nanoTime() - started) / 1_000_000);
  }

  private static void deleteFiles(Path dir, Kind kind) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        boolean ours =
            kind == Kind.HEAP
                ? name.endsWith(".delta") || name.endsWith(".snapshot")
                : name.endsWith(".rocksdb");
        if (ours) {
          Files.delete(file);
        }
      }
      if (kind == Kind.ROCKSDB && Files.isDirectory(dir.resolve("sst"))) {
        try (Stream<Path> ssts = Files.list(dir.resolve("sst"))) {
          for (Path sst : ssts.toList()) {
            Files.delete(sst);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the old state files in " + dir, e);
    }
  }

  /** The operator's own working directory on the local volume, named by its checkpoint path. */
  static Path localDir(Path dir, StateStoreSettings settings) {
    String path = dir.toAbsolutePath().normalize().toString();
    return settings
        .localRoot()
        .resolve(
            Hashing.sha256().hashString(path, StandardCharsets.UTF_8).toString().substring(0, 16));
  }
}
