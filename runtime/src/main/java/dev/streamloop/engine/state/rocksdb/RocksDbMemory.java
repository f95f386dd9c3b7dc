package dev.streamloop.engine.state.rocksdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much memory RocksDB may take, from the container's memory limit: a quarter of it for the
 * block cache, which also holds the index and filter blocks and is charged with the memtables (a
 * write-buffer manager capped at half the cache), so that RocksDB's native memory stays within that
 * quarter whatever the state's size. The JVM gets the rest (the runner's heap is sized by
 * percentage of the same limit). Bounds: 16 MiB to 2 GiB.
 *
 * @param cacheBytes The block cache's capacity (memtables included).
 * @param writeBufferBytes The memtables' cap, charged to the cache.
 * @param memtableBytes One memtable's size.
 */
public record RocksDbMemory(long cacheBytes, long writeBufferBytes, long memtableBytes) {
  private static final long MIB = 1 << 20;
  static final Path CGROUP_V2_LIMIT = Path.of("/sys/fs/cgroup/memory.max");

  /** The budget for a container limited to {@code limitBytes}. */
  public static RocksDbMemory forLimit(long limitBytes) {
    long cache = Math.max(16 * MIB, Math.min(2048 * MIB, limitBytes / 4));
    long writeBuffers = cache / 2;
    long memtable = Math.max(4 * MIB, Math.min(64 * MIB, writeBuffers / 4));
    return new RocksDbMemory(cache, writeBuffers, memtable);
  }

  /**
   * The container's memory limit: {@code STREAMLOOP_MEMORY_LIMIT} (the operator sets it from the
   * pod's limits.memory), else the cgroup's, else a quarter of what the JVM may use for its heap
   * times four (no limit known: the heap's maximum is then the best hint of what the machine
   * grants).
   */
  public static long containerLimit(String fromEnv) {
    if (fromEnv != null && fromEnv.matches("[0-9]+")) {
      return Long.parseLong(fromEnv);
    }
    try {
      if (Files.isReadable(CGROUP_V2_LIMIT)) {
        String limit = Files.readString(CGROUP_V2_LIMIT).strip();
        if (limit.matches("[0-9]+")) {
          return Long.parseLong(limit);
        }
      }
    } catch (IOException e) {
      // unreadable: fall back to the heap's maximum
    }
    return Runtime.getRuntime().maxMemory();
  }
}
