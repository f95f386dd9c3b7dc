package dev.streamloop.engine.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Creates files atomically and never over an existing one: the content goes to a hidden temp file,
 * which is fsynced and then hard-linked to its final name (link fails if the name exists, in one
 * step, which is what guards against two runners on one checkpoint), and the directory is fsynced
 * so the new name survives a crash. Readers see a complete file or none.
 *
 * <p>A caller whose entry may be lost in a crash (because it can be redone from what is durable)
 * can skip the directory's fsync: the name may then vanish in a power loss, but never point at an
 * incomplete file, because the content was fsynced before the name existed.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code content} to {@code target}; false (and nothing written) if it already exists. */
  public static boolean createExclusive(Path target, byte[] content) throws IOException {
    return createExclusive(target, content, true);
  }

  /** As {@link #createExclusive(Path, byte[])}; {@code durableName} false skips the dir's fsync. */
  public static boolean createExclusive(Path target, byte[] content, boolean durableName)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        return false;
      }
      if (durableName) {
        fsyncDirectory(dir);
      }
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes a file's content to a stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} atomically, replacing it if it exists (a re-run batch rewrites its own
   * entry): temp file, fsync, rename over the target, directory fsync. Returns the bytes written.
   */
  public static long replace(Path target, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      long size;
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        content.writeTo(out);
        out.flush();
        size = channel.size();
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsyncDirectory(dir);
      return size;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Makes the directory's entries (new and removed names) durable. */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
