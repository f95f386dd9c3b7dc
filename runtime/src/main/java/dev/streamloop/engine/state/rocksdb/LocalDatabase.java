package dev.streamloop.engine.state.rocksdb;

import dev.streamloop.engine.state.rocksdb.RocksDbVersion.StoredSst;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The working RocksDB database of a store on the runner's local volume ({@code <local>/db}), with
 * its native resources: a block cache of {@link RocksDbMemory#cacheBytes()} that also holds index
 * and filter blocks and is charged with the memtables. No write-ahead log: a version is durable
 * when its checkpoint files are, and a runner that dies rebuilds the database from them.
 */
final class LocalDatabase implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final Path localDir;
  private final LRUCache cache;
  private final WriteBufferManager writeBuffers;
  private final BloomFilter filter;
  private final Options options;
  private final WriteOptions writeOptions;
  private final RocksDB db;

  private LocalDatabase(Path localDir, RocksDbMemory memory) throws RocksDBException {
    this.localDir = localDir;
    // a fifth of the cache kept for index and filter blocks, which every lookup needs
    this.cache = new LRUCache(memory.cacheBytes(), -1, false, 0.2);
    this.writeBuffers = new WriteBufferManager(memory.writeBufferBytes(), cache);
    this.filter = new BloomFilter(10, false);
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setFilterPolicy(filter)
            .setCacheIndexAndFilterBlocks(true)
            .setCacheIndexAndFilterBlocksWithHighPriority(true)
            .setPinL0FilterAndIndexBlocksInCache(true)
            // partitioned: a lookup loads one small index and filter partition, not a compacted
            // file's whole filter (megabytes at millions of keys), so a cache smaller than the
            // filters still serves lookups without reading them again and again
            .setIndexType(IndexType.kTwoLevelIndexSearch)
            .setPartitionFilters(true)
            .setPinTopLevelIndexAndFilter(true)
            .setMetadataBlockSize(4096)
            .setBlockSize(16 << 10);
    this.options =
        new Options()
            .setCreateIfMissing(true)
            .setTableFormatConfig(table)
            .setWriteBufferManager(writeBuffers)
            .setWriteBufferSize(memory.memtableBytes())
            .setMaxWriteBufferNumber(3)
            .setMaxBackgroundJobs(2)
            .setCompressionType(CompressionType.LZ4_COMPRESSION)
            .setMaxOpenFiles(256)
            // written out as it goes, not left as dirty pages to the end of a file: a memory
            // limit counts the page cache, and a burst of dirty pages stalls the whole container
            .setBytesPerSync(1 << 20)
            // every version carries the MANIFEST inline: a small one keeps that cost small
            .setMaxManifestFileSize(64 << 10)
            .setInfoLogLevel(org.rocksdb.InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(2);
    this.writeOptions = new WriteOptions().setDisableWAL(true);
    this.db = RocksDB.open(options, localDir.resolve("db").toString());
  }

  /** A database in {@code localDir} holding {@code version}'s files (empty when null). */
  static LocalDatabase restore(
      Path localDir, RocksDbMemory memory, Path sstDir, RocksDbVersion version) {
    try {
      empty(localDir);
      Path db = Files.createDirectories(localDir.resolve("db"));
      if (version != null) {
        for (Map.Entry<String, StoredSst> sst : version.ssts().entrySet()) {
          SstFiles.download(sstDir, sst.getValue(), db.resolve(sst.getKey()));
        }
        for (Map.Entry<String, byte[]> file : version.files().entrySet()) {
          Files.write(db.resolve(file.getKey()), file.getValue());
        }
      }
      return new LocalDatabase(localDir, memory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot rebuild the RocksDB state in " + localDir + " (the runner's local volume): " + e,
          e);
    } catch (RocksDBException e) {
      throw new UncheckedIOException(
          "cannot open the RocksDB state in "
              + localDir
              + (version == null ? "" : " rebuilt from version " + version.version())
              + ": "
              + e.getMessage(),
          new IOException(e));
    }
  }

  RocksDB db() {
    return db;
  }

  void write(WriteBatch batch) throws RocksDBException {
    db.write(writeOptions, batch);
  }

  /**
   * Flushes the memtables and takes a RocksDB checkpoint (hard links of the live files) in {@code
   * <local>/checkpoint}, which the caller copies from, then drops.
   */
  Path checkpoint() throws IOException {
    Path target = localDir.resolve("checkpoint");
    deleteTree(target);
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true);
        Checkpoint checkpoint = Checkpoint.create(db)) {
      db.flush(flush);
      checkpoint.createCheckpoint(target.toString());
      return target;
    } catch (RocksDBException e) {
      throw failure("checkpoint", e);
    }
  }

  void dropCheckpoint() throws IOException {
    deleteTree(localDir.resolve("checkpoint"));
  }

  /** The native memory in use: the block cache (memtables included) and the pinned blocks. */
  long memoryBytes() {
    return cache.getUsage() + cache.getPinnedUsage();
  }

  /**
   * A RocksDB error as the runner reports it: an I/O failure (a full or broken local volume) is
   * retryable, exit 1, and the batch is re-run from the last committed version.
   */
  UncheckedIOException failure(String what, RocksDBException e) {
    return new UncheckedIOException(
        "RocksDB state "
            + what
            + " failed in "
            + localDir
            + " (the runner's local volume; is it full?): "
            + e.getMessage(),
        new IOException(e));
  }

  @Override
  public void close() {
    db.close();
    writeOptions.close();
    options.close();
    filter.close();
    writeBuffers.close();
    cache.close();
    try {
      empty(localDir);
    } catch (IOException e) {
      // the next restore empties it again
    }
  }

  /** Deletes what {@code dir} holds, not {@code dir} itself (it may be a mount point). */
  private static void empty(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        deleteTree(entry);
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
