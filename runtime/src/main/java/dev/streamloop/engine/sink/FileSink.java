package dev.streamloop.engine.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.Sink;
import dev.streamloop.engine.SinkTargetException;
import dev.streamloop.engine.checkpoint.AtomicFiles;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.LogFormat;
import dev.streamloop.engine.checkpoint.MetadataLog;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes each batch as a part file plus a manifest entry {@code _spark_metadata/<batchId>} listing
 * it (Spark's file sink protocol): the part file and its directory entry are fsynced, then the
 * manifest entry is created atomically. A batch id already in the manifest is skipped, so a re-run
 * batch is written once; files of a batch that failed before its manifest entry are never listed.
 * Readers use the manifest.
 *
 * <p>Each part file's name carries its batch id ({@code part-00000-<uuid>-batch-<id>.json}), so at
 * start the sink knows which unlisted files are its own leftovers: those of a batch the query has
 * not committed, and those of an earlier attempt of a batch whose entry lists another file. A file
 * of a batch the query committed that its entry does not list, or a manifest behind the query's
 * commits, means the manifest was damaged: the sink refuses to start (exit 2) rather than delete
 * committed data or lose batches. Files it did not write (another name) are never touched.
 */
public final class FileSink implements Sink {
  public static final String MANIFEST_DIR = "_spark_metadata";

  /** This sink's part files: {@code part-00000-<uuid>-batch-<id>.<extension>}. */
  private static final Pattern PART =
      Pattern.compile("\\.?part-\\d+-[0-9a-f-]{36}-batch-(\\d{1,18})\\.[a-z]+");

  private final Path dir;
  private final RowFormat format;
  private final MetadataLog manifest;
  private long lastCommittedBatch;

  public FileSink(Path dir, RowFormat format) {
    this.dir = dir;
    this.format = format;
    this.manifest = new MetadataLog(dir.resolve(MANIFEST_DIR));
    try {
      Files.createDirectories(manifest.dir());
      if (!Files.isWritable(dir) || !Files.isWritable(manifest.dir())) {
        throw new AccessDeniedException(dir.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "file sink directory "
              + dir
              + " is not writable ("
              + e.getClass().getSimpleName()
              + "): mount a writable volume there (spec.runner.volumes) or change sinks[].file.path",
          e);
    }
    lastCommittedBatch = manifest.latestId().orElse(-1);
  }

  /**
   * Checks the manifest against the query's commits and removes this sink's own leftovers.
   *
   * @param committedBatch The last batch the query's checkpoint committed (-1: none).
   */
  @Override
  public void open(long committedBatch) {
    if (lastCommittedBatch > committedBatch + 1) {
      // one batch ahead is a crash between the sink's commit and the checkpoint's; more is not
      throw new SinkTargetException(
          "file sink "
              + dir
              + " holds batches up to "
              + lastCommittedBatch
              + " but this query's checkpoint committed only up to "
              + committedBatch
              + ": its batches would be skipped as already written. Another query writes to this"
              + " path, or the checkpoint was reset or damaged; give the query a sink path of its"
              + " own (a new sinks[].file.path)");
    }
    if (lastCommittedBatch < committedBatch) {
      throw damaged(
          "its manifest ("
              + manifest.dir()
              + ") lists batches up to "
              + lastCommittedBatch
              + " but the query committed up to "
              + committedBatch);
    }
    Set<Path> listed;
    try {
      listed = new HashSet<>(committedFiles(dir));
    } catch (CheckpointException e) {
      // the manifest is the sink's, not the checkpoint's: resetting the checkpoint would not help
      throw damaged("its manifest file " + e.file() + " cannot be read (" + e.getMessage() + ")");
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        OptionalLong batch = batchOf(file.getFileName().toString());
        if (batch.isEmpty() || listed.contains(file)) {
          continue; // not ours, or committed
        }
        long id = batch.getAsLong();
        if (id > committedBatch || manifest.get(id).isPresent()) {
          Files.deleteIfExists(file); // an uncommitted batch's, or an earlier attempt's
        } else {
          throw damaged(
              file.getFileName()
                  + " belongs to batch "
                  + id
                  + ", which the query committed, but the manifest has no entry for it");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private SinkTargetException damaged(String what) {
    return new SinkTargetException(
        "file sink "
            + dir
            + " is damaged: "
            + what
            + ". Restore its _spark_metadata directory, or start afresh with a new sink path and"
            + " an empty checkpoint (spec.checkpoint.resetNonce)");
  }

  /** The batch id in a part file's name, if this sink wrote it. */
  static OptionalLong batchOf(String name) {
    Matcher m = PART.matcher(name);
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  @Override
  public String description() {
    return "FileSink[" + dir + "]";
  }

  @Override
  public long addBatch(long batchId, List<Column> columns, Iterable<Object[]> rows) {
    if (lastCommittedBatch >= batchId) {
      return -1; // already committed: Spark's "Skipping already committed batch"
    }
    // Written under its final name: readers follow the manifest. A batch that fails while it is
    // written (a row whose evaluation fails, a full disk) removes its part file at once; one that
    // dies with the process leaves it to the next start (open).
    Path part =
        dir.resolve("part-00000-" + UUID.randomUUID() + "-batch-" + batchId + format.extension());
    try {
      long count = writePart(part, rows);
      List<String> files = new ArrayList<>();
      if (count == 0) {
        Files.delete(part); // Spark writes no file for a batch without rows, only its entry
      } else {
        // the part file's name must be durable before the manifest points at it
        AtomicFiles.fsyncDirectory(dir);
        files.add(manifestEntry(part));
      }
      if (!manifest.add(batchId, LogFormat.write(files))) {
        Files.deleteIfExists(part);
        throw new IllegalStateException(
            "Race while writing batch " + batchId + " to " + dir + ": another writer committed it");
      }
      lastCommittedBatch = batchId;
      return count;
    } catch (IOException e) {
      deleteQuietly(part);
      throw new UncheckedIOException("cannot write to " + dir + ": " + e, e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(part);
      throw e;
    }
  }

  private long writePart(Path part, Iterable<Object[]> rows) throws IOException {
    try (FileChannel channel =
            FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
      long count = format.write(rows, out);
      out.flush();
      if (count > 0) {
        channel.force(true);
      }
      return count;
    }
  }

  private static String manifestEntry(Path part) throws IOException {
    ObjectNode entry = LogFormat.JSON.createObjectNode();
    entry.put("path", part.toUri().toString());
    entry.put("size", Files.size(part));
    entry.put("isDir", false);
    entry.put("modificationTime", Files.getLastModifiedTime(part).toMillis());
    entry.put("blockReplication", 1);
    entry.put("blockSize", 33554432);
    entry.put("action", "add");
    return entry.toString();
  }

  private static void deleteQuietly(Path part) {
    try {
      Files.deleteIfExists(part);
    } catch (IOException e) {
      // removed at the next start instead
    }
  }

  /**
   * The part files the manifest lists, in batch order: what readers must read. A batch without rows
   * has an entry that lists no file.
   */
  public static List<Path> committedFiles(Path dir) {
    return committedBatches(dir).values().stream().flatMap(List::stream).toList();
  }

  /** The files each committed batch wrote, by batch id in order (from the sink's manifest). */
  public static java.util.SortedMap<Long, List<Path>> committedBatches(Path dir) {
    MetadataLog manifest = new MetadataLog(dir.resolve(MANIFEST_DIR));
    java.util.SortedMap<Long, List<Path>> batches = new java.util.TreeMap<>();
    for (long id : manifest.ids()) {
      batches.put(
          id,
          LogFormat.read(manifest.file(id), manifest.get(id).orElseThrow(), 0).stream()
              .map(json -> LogFormat.parse(manifest.file(id), json, 2).path("path").asText())
              .map(uri -> Path.of(java.net.URI.create(uri)))
              .toList());
    }
    return batches;
  }
}
