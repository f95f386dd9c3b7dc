package dev.streamloop.engine.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One runner per checkpoint: an OS lock on the file {@code lock} in the checkpoint directory, held
 * for the runner's life and released by the kernel when its process ends, however it ends. A second
 * runner fails before it reads or cleans anything, naming when and by whom the checkpoint was taken
 * (written into the file by the holder).
 */
public final class CheckpointLock implements AutoCloseable {
  public static final String FILE = "lock";

  private final FileChannel channel;
  private final FileLock lock;

  private CheckpointLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of the checkpoint in {@code dir}; fails at once when another runner holds it.
   */
  public static CheckpointLock acquire(Path dir) {
    Path file = dir.resolve(FILE);
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very process (another runner in one JVM, as in tests)
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
        channel.close();
        throw new CheckpointInUseException(
            "checkpoint "
                + dir
                + " is in use by another runner since "
                + (holder.isEmpty() ? "(unknown)" : holder)
                + ": only one runner may use a checkpoint; stop the other runner or give this"
                + " one its own checkpoint directory");
      }
      String holder =
          Instant.now()
              + " (process "
              + ProcessHandle.current().pid()
              + " on "
              + hostName()
              + ", started "
              + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime())
              + ")\n";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new CheckpointLock(channel, lock);
    } catch (FileAlreadyExistsException e) {
      closeQuietly(channel);
      throw new CheckpointException(
          dir,
          "is a file where the checkpoint's directory should be: give the checkpoint a directory"
              + " of its own (--checkpoint DIR)");
    } catch (AccessDeniedException e) {
      closeQuietly(channel);
      throw new CheckpointException(
          dir,
          "cannot be written ("
              + e.getFile()
              + ": permission denied): give the runner a checkpoint directory it may write");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // the channel's close releases it too
    }
    closeQuietly(channel);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "an unknown host";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }
  }
}
