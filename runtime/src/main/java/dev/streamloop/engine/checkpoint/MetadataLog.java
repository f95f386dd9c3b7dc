package dev.streamloop.engine.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A directory of entries named by batch id ({@code <dir>/0}, {@code <dir>/1}, ...), each written
 * once, atomically (Spark's HDFSMetadataLog). Files whose names are not numbers (temp files) are
 * ignored.
 */
public final class MetadataLog {
  private final Path dir;
  private final boolean durableNames;

  public MetadataLog(Path dir) {
    this(dir, true);
  }

  /**
   * A log whose entries, once added, survive a crash only if {@code durableNames}; see {@link
   * AtomicFiles} for when a caller may do without.
   */
  public MetadataLog(Path dir, boolean durableNames) {
    this.dir = dir;
    this.durableNames = durableNames;
  }

  public Path dir() {
    return dir;
  }

  public Path file(long batchId) {
    return dir.resolve(Long.toString(batchId));
  }

  /** Adds the entry for {@code batchId}; false if one exists already (it is never overwritten). */
  public boolean add(long batchId, String content) {
    try {
      return AtomicFiles.createExclusive(
          file(batchId), content.getBytes(StandardCharsets.UTF_8), durableNames);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file(batchId) + ": " + e.getMessage(), e);
    }
  }

  /** The entry for {@code batchId}, if there is one. */
  public Optional<String> get(long batchId) {
    try {
      return Optional.of(Files.readString(file(batchId), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CheckpointException(file(batchId), "unreadable: " + LogFormat.describe(e), e);
    }
  }

  /** Every batch id with an entry, ascending. */
  public List<Long> ids() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.matches("[0-9]+"))
          .map(this::batchId)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The batch id an entry's name stands for. A name the log never writes (007, or a number beyond a
   * long) means someone else put the file there: refused, naming it, since its batch id cannot be
   * trusted.
   */
  private long batchId(String name) {
    try {
      long id = Long.parseLong(name);
      if (Long.toString(id).equals(name)) {
        return id;
      }
    } catch (NumberFormatException e) {
      // beyond a long
    }
    throw new CheckpointException(
        dir.resolve(name),
        "is not an entry this log writes (entries are named by their batch id, such as 7):"
            + " remove it, or restore the checkpoint from a backup");
  }

  /** The newest entry's batch id, if any. */
  public OptionalLong latestId() {
    List<Long> ids = ids();
    return ids.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ids.get(ids.size() - 1));
  }

  /** Deletes the entry of {@code batchId}, if there is one. */
  public void delete(long batchId) {
    try {
      Files.deleteIfExists(file(batchId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the entries below {@code batchId} (retention). */
  public void purgeBefore(long batchId) {
    for (long id : ids()) {
      if (id >= batchId) {
        break;
      }
      try {
        Files.deleteIfExists(file(id));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
