package dev.streamloop.engine.state;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The state of one stateful operator, versioned as Spark's state stores are: batch N reads version
 * N and commits version N+1; committing a version that exists replaces it (a re-run batch
 * recomputes the same state). Keys are lists of the group's values, values the operator's arrays.
 * Each key belongs to one key group ({@link KeyGroups}), and every implementation can restore a
 * subset of the key groups on its own, so that key groups can later move between runners.
 * Implementations: {@link HeapStateStore} (the map on the heap, delta and snapshot files) and
 * {@code RocksDbStateStore} (RocksDB on the runner's local volume, incremental checkpoints).
 */
public interface StateStore extends AutoCloseable {

  /**
   * What a commit did.
   *
   * @param version The version written.
   * @param bytesWritten Bytes written to the checkpoint for this version.
   * @param millis How long it took.
   * @param updated Keys put in this version.
   * @param removed Keys removed in this version.
   */
  record Commit(long version, long bytesWritten, long millis, long updated, long removed) {
    /**
     * The commit of {@code version} that wrote {@code changes} (null: removed) since {@code
     * startedNanos}.
     */
    public static Commit of(
        long version, long bytesWritten, long startedNanos, Map<List<Object>, Object[]> changes) {
      long removed = changes.values().stream().filter(v -> v == null).count();
      return new Commit(
          version,
          bytesWritten,
          (System.nanoTime() - startedNanos) / 1_000_000,
          changes.size() - removed,
          removed);
    }
  }

  /** The version this store holds (what the next commit builds on). */
  long version();

  /**
   * Makes an empty store's next commit write {@code version + 1}: where state copied from another
   * store (a store switch) continues at the version it was copied from.
   */
  void startAt(long version);

  /** {@code key}'s value, or null. */
  Object[] get(List<Object> key);

  /**
   * {@code key}'s value for changing in place (new from {@code empty} if absent), marked as changed
   * in this version. A batch that fails after changing values leaves uncommitted changes; the
   * caller then loads the committed version again ({@link #hasUncommittedChanges()}).
   */
  Object[] update(List<Object> key, Supplier<Object[]> empty);

  /** Sets {@code key}'s value; {@code key} must not be changed afterwards. */
  void put(List<Object> key, Object[] value);

  /** Removes {@code key} (nothing if absent). */
  void remove(List<Object> key);

  /** The values changed in this version so far (null: removed), read-only. */
  Map<List<Object>, Object[]> changes();

  /** Every entry, this version's changes included, in no particular order. */
  void forEach(BiConsumer<List<Object>, Object[]> action);

  /** The entries of one key group, this version's changes included. */
  void forEachInKeyGroup(int keyGroup, BiConsumer<List<Object>, Object[]> action);

  /** How many keys the store holds. */
  long size();

  /** Whether puts or removes wait for a commit (a batch that failed before committing). */
  boolean hasUncommittedChanges();

  /** The memory the store takes (heap, or RocksDB's memtables and block cache), roughly. */
  long memoryBytes();

  /** The heap the store takes, roughly (what the runner's guard against an OOM checks). */
  long heapBytes();

  /** Writes version {@code version() + 1} to the checkpoint. */
  Commit commit();

  /** Deletes what loading any of the last {@code retain} versions does not need. */
  void purge(int retain);

  /** Releases native resources and local files (the checkpoint is untouched). */
  @Override
  void close();
}
