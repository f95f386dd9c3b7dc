package dev.streamloop.engine.state.rocksdb;

import dev.streamloop.engine.state.HeapSize;
import dev.streamloop.engine.state.KeyGroups;
import dev.streamloop.engine.state.StateCodec;
import dev.streamloop.engine.state.StateStore;
import dev.streamloop.engine.state.rocksdb.RocksDbVersion.StoredSst;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * A state store in RocksDB, as Spark's and Flink's RocksDB state backends: the working database on
 * the runner's local volume (its memory bounded by {@link RocksDbMemory}), and in the checkpoint
 * only immutable SST files plus one small file per version naming the SSTs it needs ({@link
 * RocksDbVersion}). A commit flushes the version's changes to a new SST, takes a RocksDB checkpoint
 * (hard links) and copies only the SST files the checkpoint does not hold yet, so the bytes written
 * per version follow the keys it changed (and compactions), not the state's size. A key is its key
 * group (two bytes, big-endian) then its encoded values, so each key group is a contiguous range: a
 * runner that owns some key groups can restore the files and drop the other ranges (Flink's
 * layout). Changes of the version in progress stay on the heap until a commit or a scan.
 */
public final class RocksDbStateStore implements StateStore {
  private final Path dir;
  private final Path sstDir;
  private final LocalDatabase local;
  private final KeyGroups keyGroups;
  private final RetainedVersions retained;
  private final Map<List<Object>, Object[]> changes = new LinkedHashMap<>();
  private Map<String, StoredSst> stored;

  /** Whether changes were made since the database last received them. */
  private boolean unwritten;

  /** Whether the database holds changes of the version in progress. */
  private boolean written;

  private long version;
  private long keys;

  private RocksDbStateStore(
      Path dir, LocalDatabase local, KeyGroups keyGroups, RocksDbVersion committed) {
    this.dir = dir;
    this.sstDir = dir.resolve("sst");
    this.local = local;
    this.keyGroups = keyGroups;
    this.retained = new RetainedVersions(dir);
    this.version = committed == null ? 0 : committed.version();
    this.keys = committed == null ? 0 : committed.keys();
    this.stored = committed == null ? Map.of() : committed.ssts();
  }

  /**
   * The store at {@code version} (0: empty) of the checkpoint directory {@code dir}, its working
   * database rebuilt in {@code localDir} (emptied first: it belongs to this checkpoint, whose lock
   * the runner holds).
   */
  public static RocksDbStateStore load(
      Path dir, long version, KeyGroups keyGroups, Path localDir, RocksDbMemory memory) {
    RocksDbVersion committed = version == 0 ? null : RocksDbVersion.read(dir, version);
    LocalDatabase local = LocalDatabase.restore(localDir, memory, dir.resolve("sst"), committed);
    return new RocksDbStateStore(dir, local, keyGroups, committed);
  }

  /** Whether {@code dir} holds version {@code version} of a RocksDB store. */
  public static boolean holds(Path dir, long version) {
    return Files.exists(RocksDbVersion.file(dir, version));
  }

  /**
   * Writes version {@code from} again as version {@code to}: the same files, so a rewind to an
   * earlier batch copies nothing but one small file.
   */
  public static void copyVersion(Path dir, long from, long to) throws IOException {
    RocksDbVersion source = RocksDbVersion.read(dir, from);
    new RocksDbVersion(to, source.keys(), source.ssts(), source.files()).write(dir);
  }

  @Override
  public void startAt(long version) {
    if (keys != 0 || this.version != 0) {
      throw new IllegalStateException("only an empty store starts at another version");
    }
    this.version = version;
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public Object[] get(List<Object> key) {
    if (changes.containsKey(key)) {
      return changes.get(key);
    }
    return read(key);
  }

  @Override
  public Object[] update(List<Object> key, Supplier<Object[]> empty) {
    Object[] value = changes.get(key);
    if (value == null) {
      value = changes.containsKey(key) ? null : read(key);
      if (value == null) {
        value = empty.get();
        keys++;
      }
      changes.put(key, value);
    }
    unwritten = true;
    return value;
  }

  @Override
  public void put(List<Object> key, Object[] value) {
    if (get(key) == null) {
      keys++;
    }
    changes.put(key, value);
    unwritten = true;
  }

  @Override
  public void remove(List<Object> key) {
    if (get(key) != null) {
      keys--;
      changes.put(key, null);
      unwritten = true;
    }
  }

  @Override
  public Map<List<Object>, Object[]> changes() {
    return Collections.unmodifiableMap(changes);
  }

  @Override
  public void forEach(BiConsumer<List<Object>, Object[]> action) {
    scan(null, action);
  }

  @Override
  public void forEachInKeyGroup(int keyGroup, BiConsumer<List<Object>, Object[]> action) {
    scan(new byte[] {(byte) (keyGroup >>> 8), (byte) keyGroup}, action);
  }

  private void scan(byte[] prefix, BiConsumer<List<Object>, Object[]> action) {
    writeChanges();
    try (RocksIterator it = local.db().newIterator()) {
      if (prefix == null) {
        it.seekToFirst();
      } else {
        it.seek(prefix);
      }
      for (; it.isValid(); it.next()) {
        byte[] key = it.key();
        if (prefix != null && (key[0] != prefix[0] || key[1] != prefix[1])) {
          break;
        }
        List<Object> values = StateCodec.decode(key, 2);
        Object[] changed = changes.get(values);
        action.accept(values, changed != null ? changed : value(it.value()));
      }
      it.status();
    } catch (RocksDBException e) {
      throw local.failure("read", e);
    } catch (IOException e) {
      throw new UncheckedIOException("a key in the RocksDB state of " + dir + " is unreadable", e);
    }
  }

  @Override
  public long size() {
    return keys;
  }

  @Override
  public boolean hasUncommittedChanges() {
    return !changes.isEmpty() || written;
  }

  @Override
  public long memoryBytes() {
    return local.memoryBytes() + heapBytes();
  }

  @Override
  public long heapBytes() {
    return HeapSize.ofEntries(changes);
  }

  @Override
  public Commit commit() {
    long started = System.nanoTime();
    long next = version + 1;
    writeChanges();
    try {
      Path checkpoint = local.checkpoint();
      Map<String, StoredSst> ssts = new LinkedHashMap<>();
      Map<String, byte[]> files = new LinkedHashMap<>();
      long bytes = 0;
      try (var entries = Files.list(checkpoint)) {
        for (Path file : entries.sorted().toList()) {
          String name = file.getFileName().toString();
          if (name.startsWith("OPTIONS")) {
            continue; // the store opens with its own options
          }
          if (!name.endsWith(".sst")) {
            files.put(name, Files.readAllBytes(file));
            continue;
          }
          StoredSst sst = stored.get(name);
          if (sst == null || sst.bytes() != Files.size(file)) {
            sst = SstFiles.upload(file, sstDir);
            bytes += sst.bytes();
          }
          ssts.put(name, sst);
        }
      }
      RocksDbVersion committed = new RocksDbVersion(next, keys, ssts, files);
      bytes += committed.write(dir);
      retained.written(next, ssts.values().stream().map(StoredSst::stored).toList());
      local.dropCheckpoint();
      Commit commit = Commit.of(next, bytes, started, changes);
      changes.clear();
      written = false;
      stored = ssts;
      version = next;
      return commit;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write RocksDB state version " + next + " to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Keeps the last {@code retain} versions' files and the SST files they name; deletes older
   * versions and every other SST file (also those a runner killed mid-commit left behind).
   */
  @Override
  public void purge(int retain) {
    try {
      retained.purge(version - retain + 1, version);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete old RocksDB state in " + dir, e);
    }
  }

  @Override
  public void close() {
    local.close();
  }

  /** Writes the changes made since the last write into the database (not yet a version). */
  private void writeChanges() {
    if (!unwritten) {
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      // all of them: a value changed in place since the last write cannot be told apart, and
      // only a scan (complete mode, a watermark's eviction) writes before the commit does
      for (Map.Entry<List<Object>, Object[]> change : changes.entrySet()) {
        List<Object> key = change.getKey();
        Object[] value = change.getValue();
        if (value == null) {
          batch.delete(encodeKey(key));
        } else {
          batch.put(encodeKey(key), StateCodec.encode(Arrays.asList(value)));
        }
      }
      written = true;
      local.write(batch);
      unwritten = false;
    } catch (RocksDBException e) {
      throw local.failure("write", e);
    }
  }

  private Object[] read(List<Object> key) {
    try {
      byte[] value = local.db().get(encodeKey(key));
      return value == null ? null : value(value);
    } catch (RocksDBException e) {
      throw local.failure("read", e);
    }
  }

  private byte[] encodeKey(List<Object> key) {
    byte[] values = StateCodec.encode(key);
    int group = keyGroups.of(values);
    byte[] encoded = new byte[values.length + 2];
    encoded[0] = (byte) (group >>> 8);
    encoded[1] = (byte) group;
    System.arraycopy(values, 0, encoded, 2, values.length);
    return encoded;
  }

  private Object[] value(byte[] bytes) {
    try {
      return StateCodec.decode(bytes, 0).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "a value in the RocksDB state of " + dir + " is unreadable", e);
    }
  }
}
