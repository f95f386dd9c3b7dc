package dev.streamloop.engine.state;

import dev.streamloop.engine.checkpoint.CheckpointException;
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
import java.util.stream.Stream;

/**
 * The state of one stateful operator, versioned as Spark's HDFS-backed state store: batch N reads
 * version N and commits version N+1. Each commit writes the version's changes as {@code <v>.delta};
 * every {@code snapshotInterval} versions also a full {@code <v>.snapshot}, so a restart reads the
 * newest snapshot at or below the version it needs and the deltas after it. Committing a version
 * that exists replaces it (a re-run batch recomputes the same state). The map lives on the heap:
 * keys are lists of the group's values, values the operator's arrays.
 */
public final class StateStore {
  private final Path dir;
  private final int snapshotInterval;
  private final Map<List<Object>, Object[]> entries = new HashMap<>();
  private final Map<List<Object>, Object[]> changes = new LinkedHashMap<>();
  private long version;

  private StateStore(Path dir, int snapshotInterval) {
    this.dir = dir;
    this.snapshotInterval = snapshotInterval;
  }

  /**
   * What a commit did.
   *
   * @param version The version written.
   * @param bytesWritten Bytes of the delta (and snapshot).
   * @param millis How long it took.
   * @param updated Keys put in this version.
   * @param removed Keys removed in this version.
   */
  public record Commit(long version, long bytesWritten, long millis, long updated, long removed) {}

  /**
   * Writes an empty snapshot at {@code version} into {@code dir}: where a store whose state was
   * reset starts, so that loading that version does not look for the deltas before it.
   */
  public static void writeEmpty(Path dir, long version) throws IOException {
    Files.createDirectories(dir);
    StateFile.write(dir.resolve(version + ".snapshot"), 'S', version, Map.of());
  }

  /**
   * Writes version {@code from}'s entries as a snapshot at {@code to}: where a store rewound to an
   * earlier batch starts again.
   */
  public static void writeSnapshotOf(Path dir, long from, long to) throws IOException {
    StateStore store = load(dir, from, Integer.MAX_VALUE);
    StateFile.write(dir.resolve(to + ".snapshot"), 'S', to, store.entries);
  }

  /** The store at {@code version} (0: empty), read from {@code dir}. */
  public static StateStore load(Path dir, long version, int snapshotInterval) {
    StateStore store = new StateStore(dir, snapshotInterval);
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
        throw new CheckpointException(
            delta,
            "missing: state version "
                + target
                + " cannot be rebuilt without it (the state files of "
                + dir
                + " were deleted or retention removed more than it should). Restore it, or start"
                + " from an empty checkpoint (spec.checkpoint.resetNonce)");
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

  /** The version this store holds (what the next commit builds on). */
  public long version() {
    return version;
  }

  public Object[] get(List<Object> key) {
    return entries.get(key);
  }

  /**
   * {@code key}'s value for changing in place (new from {@code empty} if absent), marked as changed
   * in this version. A batch that fails after changing values leaves uncommitted changes; the
   * caller then loads the committed version again ({@link #hasUncommittedChanges()}).
   */
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

  /** The values changed in this version so far (null: removed), read-only. */
  public Map<List<Object>, Object[]> changes() {
    return Collections.unmodifiableMap(changes);
  }

  /** Sets {@code key}'s value; {@code key} must not be changed afterwards. */
  public void put(List<Object> key, Object[] value) {
    entries.put(key, value);
    changes.put(key, value);
  }

  public void remove(List<Object> key) {
    if (entries.remove(key) != null) {
      changes.put(key, null);
    }
  }

  /** Every entry, read-only. */
  public Map<List<Object>, Object[]> entries() {
    return Collections.unmodifiableMap(entries);
  }

  public int size() {
    return entries.size();
  }

  /** Whether puts or removes wait for a commit (a batch that failed before committing). */
  public boolean hasUncommittedChanges() {
    return !changes.isEmpty();
  }

  /**
   * The heap the entries take, roughly: the map's own structures plus the values, sized from a
   * sample of entries (exact sizing would cost more than the aggregation).
   */
  public long estimatedBytes() {
    if (entries.isEmpty()) {
      return 0;
    }
    long sampled = 0;
    int n = 0;
    for (Map.Entry<List<Object>, Object[]> entry : entries.entrySet()) {
      sampled += HeapSize.of(entry.getKey()) + HeapSize.of(entry.getValue());
      if (++n == 64) {
        break;
      }
    }
    return entries.size() * (sampled / n + HeapSize.MAP_ENTRY);
  }

  /** Writes version {@code version() + 1}: its delta, and a snapshot when one is due. */
  public Commit commit() {
    long started = System.nanoTime();
    long next = version + 1;
    try {
      long bytes = StateFile.write(delta(next), 'D', next, changes);
      if (next % snapshotInterval == 0) {
        bytes += StateFile.write(snapshot(next), 'S', next, entries);
      }
      long removed = 0;
      for (Object[] value : changes.values()) {
        if (value == null) {
          removed++;
        }
      }
      Commit commit =
          new Commit(
              next,
              bytes,
              (System.nanoTime() - started) / 1_000_000,
              changes.size() - removed,
              removed);
      changes.clear();
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
