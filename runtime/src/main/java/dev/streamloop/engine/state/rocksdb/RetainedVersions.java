package dev.streamloop.engine.state.rocksdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Retention of a RocksDB store's checkpoint files: the version files from the oldest retained
 * version on stay, with every SST file one of them names; older version files and unnamed SST files
 * (from compacted versions, or uploaded by a runner killed before its version file was written) are
 * deleted. Remembers which SST files each version names, so that a purge reads each version file
 * once per run, not once per batch.
 */
final class RetainedVersions {
  private final Path dir;
  private final Map<Long, List<String>> named = new HashMap<>();
  private boolean swept;

  RetainedVersions(Path dir) {
    this.dir = dir;
  }

  /** Records what a version just written names. */
  void written(long version, List<String> storedNames) {
    named.put(version, storedNames);
  }

  /**
   * Deletes what versions {@code oldest..newest} do not need: once per run the whole SST directory
   * is swept (orphans of a killed runner), afterwards only when a version file went.
   */
  void purge(long oldest, long newest) throws IOException {
    boolean deleted = false;
    List<Path> versionFiles;
    try (Stream<Path> files = Files.list(dir)) {
      versionFiles = files.filter(f -> version(f) >= 0).toList();
    }
    Set<String> needed = new HashSet<>();
    for (Path file : versionFiles) {
      long v = version(file);
      if (v < oldest) {
        Files.deleteIfExists(file);
        named.remove(v);
        deleted = true;
      } else if (v <= newest) {
        needed.addAll(named.computeIfAbsent(v, k -> RocksDbVersion.storedNames(dir, k)));
      }
    }
    Path sstDir = dir.resolve("sst");
    if ((swept && !deleted) || !Files.isDirectory(sstDir)) {
      return;
    }
    try (Stream<Path> files = Files.list(sstDir)) {
      for (Path file : files.toList()) {
        if (!needed.contains(file.getFileName().toString())) {
          Files.deleteIfExists(file);
        }
      }
    }
    swept = true;
  }

  /** The version of a {@code <v>.rocksdb} file, or -1. */
  private static long version(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".rocksdb")) {
      return -1;
    }
    String number = name.substring(0, name.length() - ".rocksdb".length());
    return number.matches("[0-9]{1,18}") ? Long.parseLong(number) : -1;
  }
}
