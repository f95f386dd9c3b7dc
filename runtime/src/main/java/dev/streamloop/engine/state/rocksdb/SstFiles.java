package dev.streamloop.engine.state.rocksdb;

import dev.streamloop.engine.checkpoint.AtomicFiles;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.state.StateFileErrors;
import dev.streamloop.engine.state.rocksdb.RocksDbVersion.StoredSst;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * Copies SST files between the runner's local RocksDB directory and the checkpoint's {@code sst/}
 * directory: up with a unique name, fsync and an atomic rename; down with the recorded length and
 * CRC-32 checked, so that a damaged or truncated file stops the runner naming it instead of opening
 * a store with less state.
 */
final class SstFiles {
  private SstFiles() {}

  /** Copies the local {@code file} into {@code sstDir}; returns what the version records. */
  static StoredSst upload(Path file, Path sstDir) throws IOException {
    String local = file.getFileName().toString();
    String stored =
        local.substring(0, local.length() - ".sst".length()) + "-" + UUID.randomUUID() + ".sst";
    CRC32 crc = new CRC32();
    long bytes =
        AtomicFiles.replace(
            sstDir.resolve(stored),
            out -> {
              try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
                in.transferTo(out);
              }
            });
    return new StoredSst(stored, bytes, crc.getValue());
  }

  /** Copies the stored {@code sst} to {@code target}, checking its length and checksum. */
  static void download(Path sstDir, StoredSst sst, Path target) {
    Path source = sstDir.resolve(sst.stored());
    CRC32 crc = new CRC32();
    long bytes;
    try (InputStream in = new CheckedInputStream(Files.newInputStream(source), crc);
        OutputStream out = Files.newOutputStream(target)) {
      bytes = in.transferTo(out);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(
          source,
          "missing: the RocksDB state needs it (deleted, or not copied with the checkpoint)."
              + " Restore it, or start from an empty checkpoint (spec.checkpoint.resetNonce)");
    } catch (IOException e) {
      throw new CheckpointException(source, "unreadable: " + e.getMessage(), e);
    }
    if (bytes != sst.bytes() || crc.getValue() != sst.crc32()) {
      throw StateFileErrors.corrupt(
          source,
          bytes != sst.bytes()
              ? "has " + bytes + " bytes where " + sst.bytes() + " were written"
              : "fails its checksum");
    }
  }
}
