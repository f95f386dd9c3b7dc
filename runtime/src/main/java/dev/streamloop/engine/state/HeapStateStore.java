package dev.streamloop.engine.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * A state store on the heap, as Spark's HDFS-backed one: each commit writes the version's changes
 * as {@code <v>.delta}; every {@code snapshotInterval} versions also a full {@code <v>.snapshot},
 * so a restart reads the newest snapshot at or below the version it needs and the deltas after it.
 * Each file keeps the records of each key group in a section of their own ({@link StateFile}).
 */
public final class HeapStateStore implements StateStore {
  private final Path dir;
  private final int snapshotInterval;
  private final KeyGroups keyGroups;
  private final Map<List<Object>, Object[]> entries = new HashMap<>();
  private final Map<List<Object>, Object[]> changes = new LinkedHashMap<>();
  private long version;
  private boolean snapshotDue;

  private HeapStateStore(Path dir, int snapshotInterval, KeyGroups keyGroups) {
    this.dir = dir;
    this.snapshotInterval = snapshotInterval;
    this.keyGroups = keyGroups;
  }

  /**
   * Writes an empty snapshot at {@code version} into {@code dir}: where a store whose state was
   * reset starts, so that loading that version does not look for the deltas before it.
   */
  public static void writeEmpty(Path dir, long version) throws IOException {
    Files.createDirectories(dir);
    StateFile.write(dir.resolve(version + ".snapshot"), 'S', version, new KeyGroups(1), Map.of());
  }

  /**
   * Writes version {@code from}'s entries as a snapshot at {@code to}: where a store rewound to an
   * earlier batch starts again.
   */
  static void writeSnapshotOf(Path dir, long from, long to, KeyGroups keyGroups)
      throws IOException {
    HeapStateStore store = load(dir, from, Integer.MAX_VALUE, keyGroups);
    StateFile.write(dir.resolve(to + ".snapshot"), 'S', to, keyGroups, store.entries);
  }

  /** Whether {@code dir} holds version {@code version} (a delta or a snapshot of it). */
  static boolean holds(Path dir, long version) {
    return Files.exists(dir.resolve(version + ".delta"))
        || Files.exists(dir.resolve(version + ".snapshot"));
  }

  /** The store at {@code version} (0: empty), read from {@code dir}. */
  public static HeapStateStore load(
      Path dir, long version, int snapshotInterval, KeyGroups keyGroups) {
    HeapStateStore store = new HeapStateStore(dir, snapshotInterval, keyGroups);
    store.restore(version);
    return store;
  }

  private void restore(long target) {
    version = target;
    if (target == 0) {
      return;
    }
    long base = 0;
    for (long v : versions(".snapshot")) {
      if (v <= target) {
        base = v;
      }
    }
    if (base > 0) {
      StateFile.read(snapshot(base), 'S', base, entries::put);
    }
    for (long v = base + 1; v <= target; v++) {
      Path delta = delta(v);
      if (!Files.exists(delta)) {
        throw StateFileErrors.missing(delta, target, dir);
      }
      long v0 = v;
      StateFile.read(
          delta,
          'D',
          v0,
          (key, value) -> {
            if (value == null) {
              entries.remove(key);
            } else {
              entries.put(key, value);
            }
          });
    }
  }

  @Override
  public void startAt(long version) {
    if (!entries.isEmpty() || this.version != 0) {
      throw new IllegalStateException("only an empty store starts at another version");
    }
    this.version = version;
    this.snapshotDue = true; // no deltas lead up to it
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public Object[] get(List<Object> key) {
    return entries.get(key);
  }

  @Override
  public Object[] update(List<Object> key, java.util.function.Supplier<Object[]> empty) {
    Object[] value = entries.get(key);
    if (value == null) {
      value = empty.get();
      entries.put(key, value);
      changes.put(key, value);
    } else if (changes.get(key) != value) {
      changes.put(key, value);
    }
    return value;
  }

  @Override
  public Map<List<Object>, Object[]> changes() {
    return Collections.unmodifiableMap(changes);
  }

  @Override
  public void put(List<Object> key, Object[] value) {
    entries.put(key, value);
    changes.put(key, value);
  }

  @Override
  public void remove(List<Object> key) {
    if (entries.remove(key) != null) {
      changes.put(key, null);
    }
  }

  @Override
  public void forEach(BiConsumer<List<Object>, Object[]> action) {
    entries.forEach(action);
  }

  @Override
  public void forEachInKeyGroup(int keyGroup, BiConsumer<List<Object>, Object[]> action) {
    entries.forEach(
        (key, value) -> {
          if (keyGroups.of(key) == keyGroup) {
            action.accept(key, value);
          }
        });
  }

  @Override
  public long size() {
    return entries.size();
  }

  @Override
  public boolean hasUncommittedChanges() {
    return !changes.isEmpty();
  }

  /**
   * The heap the entries take, roughly: the map's own structures plus the values, sized from a
   * sample of entries (exact sizing would cost more than the aggregation).
   */
  @Override
  public long memoryBytes() {
    return HeapSize.ofEntries(entries);
  }

  @Override
  public long heapBytes() {
    return memoryBytes();
  }

  /** Writes version {@code version() + 1}: its delta, and a snapshot when one is due. */
  @Override
  public Commit commit() {
    long started = System.nanoTime();
    long next = version + 1;
    try {
      long bytes = StateFile.write(delta(next), 'D', next, keyGroups, changes);
      if (next % snapshotInterval == 0 || snapshotDue) {
        bytes += StateFile.write(snapshot(next), 'S', next, keyGroups, entries);
      }
      Commit commit = Commit.of(next, bytes, started, changes);
      changes.clear();
      snapshotDue = false;
      version = next;
      return commit;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write state version " + next + " in " + dir, e);
    }
  }

  /**
   * Keeps what loading any of the last {@code retain} versions needs: the newest snapshot at or
   * below the oldest of them, and every delta after it.
   */
  @Override
  public void purge(int retain) {
    long oldest = version - retain + 1;
    long base = 0;
    for (long v : versions(".snapshot")) {
      if (v <= oldest) {
        base = v;
      }
    }
    if (base == 0) {
      return;
    }
    for (long v : versions(".snapshot")) {
      if (v < base) {
        delete(snapshot(v));
      }
    }
    for (long v : versions(".delta")) {
      if (v <= base) {
        delete(delta(v));
      }
    }
  }

  @Override
  public void close() {
    entries.clear();
    changes.clear();
  }

  private Path delta(long v) {
    return dir.resolve(v + ".delta");
  }

  private Path snapshot(long v) {
    return dir.resolve(v + ".snapshot");
  }

  private TreeSet<Long> versions(String suffix) {
    TreeSet<Long> versions = new TreeSet<>();
    if (!Files.isDirectory(dir)) {
      return versions;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(
              n ->
                  n.endsWith(suffix)
                      && n.substring(0, n.length() - suffix.length()).matches("[0-9]+"))
          .forEach(n -> versions.add(Long.parseLong(n.substring(0, n.length() - suffix.length()))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions;
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
