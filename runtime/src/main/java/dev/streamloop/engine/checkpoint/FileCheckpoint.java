package dev.streamloop.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A checkpoint in a directory, laid out as Spark's: {@code metadata} (the query id), {@code
 * offsets/N} (written before batch N runs), {@code commits/N} (written after its sinks), and {@code
 * sources/<i>/...} (each source's own log); and ours, {@code manifest} ({@link
 * CheckpointManifest}). Files are created atomically and never overwritten ({@link AtomicFiles}).
 */
public final class FileCheckpoint implements Checkpoint {
  private final Path dir;
  private final String queryId;
  private final MetadataLog offsets;
  private final MetadataLog commits;
  private boolean purgedOnce;

  private FileCheckpoint(Path dir, String queryId) {
    this.dir = dir;
    this.queryId = queryId;
    this.offsets = new MetadataLog(dir.resolve("offsets"));
    // commits/N may be lost in a power loss: the sinks hold batch N durably before it is written,
    // so a restart that finds no commits/N re-runs batch N (the sinks skip it) or, when offsets/N+1
    // is there, batch N+1. Skipping the directory's fsync saves one of a batch's eight fsyncs.
    this.commits = new MetadataLog(dir.resolve("commits"), false);
  }

  /**
   * Opens the checkpoint in {@code dir}, creating it (with a new query id) when it is empty. A
   * checkpoint whose parts disagree is refused, naming what is missing, never silently started
   * over: a lost {@code metadata} would give the query a new id (and the Kafka sink a new
   * transactional id), lost {@code offsets} would restart batch ids at 0 (which the sinks skip as
   * written).
   */
  public static FileCheckpoint open(Path dir) {
    Path metadata = dir.resolve("metadata");
    try {
      Files.createDirectories(dir);
      checkConsistent(dir, metadata);
      if (!Files.exists(metadata)) {
        String json = "{\"id\":\"" + UUID.randomUUID() + "\"}\n";
        AtomicFiles.createExclusive(metadata, json.getBytes(StandardCharsets.UTF_8));
      }
      String content;
      try {
        content = Files.readString(metadata, StandardCharsets.UTF_8);
      } catch (CharacterCodingException e) {
        throw new CheckpointException(metadata, LogFormat.describe(e) + "; " + LogFormat.advice());
      }
      JsonNode id = LogFormat.parse(metadata, content.strip(), 1).path("id");
      if (!id.isTextual() || id.asText().isEmpty()) {
        throw new CheckpointException(metadata, "has no query id; " + LogFormat.advice());
      }
      return new FileCheckpoint(dir, id.asText());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void checkConsistent(Path dir, Path metadata) {
    MetadataLog offsets = new MetadataLog(dir.resolve("offsets"));
    MetadataLog commits = new MetadataLog(dir.resolve("commits"), false);
    var lastOffsets = offsets.latestId();
    var lastCommit = commits.latestId();
    if (!Files.exists(metadata) && (lastOffsets.isPresent() || lastCommit.isPresent())) {
      throw new CheckpointException(
          metadata,
          "missing, but the checkpoint has batches: the query's id is lost (a new one would"
              + " change the Kafka sink's transactional id); "
              + LogFormat.advice());
    }
    if (lastCommit.isPresent()
        && (lastOffsets.isEmpty() || lastOffsets.getAsLong() < lastCommit.getAsLong())) {
      throw new CheckpointException(
          dir.resolve("offsets"),
          "has batches up to "
              + (lastOffsets.isPresent() ? lastOffsets.getAsLong() : "none")
              + " but commits/ has batch "
              + lastCommit.getAsLong()
              + ": offsets were lost, and batch ids would start over (the sinks would skip them"
              + " as written); "
              + LogFormat.advice());
    }
  }

  @Override
  public Path manifestEntry() {
    return dir.resolve("manifest");
  }

  @Override
  public Optional<CheckpointManifest> manifest() {
    Path file = manifestEntry();
    try {
      return Optional.of(
          CheckpointManifest.parse(file, Files.readString(file, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CheckpointException(file, LogFormat.describe(e) + "; " + LogFormat.advice());
    }
  }

  @Override
  public void writeManifest(CheckpointManifest manifest) {
    byte[] content = manifest.serialize().getBytes(StandardCharsets.UTF_8);
    try {
      AtomicFiles.replace(manifestEntry(), out -> out.write(content));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + manifestEntry() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Path offsetsEntry(long batchId) {
    return offsets.file(batchId);
  }

  @Override
  public Path commitsEntry(long batchId) {
    return commits.file(batchId);
  }

  @Override
  public String queryId() {
    return queryId;
  }

  @Override
  public MetadataLog sourceLog(int index) {
    return new MetadataLog(dir.resolve("sources").resolve(Integer.toString(index)));
  }

  @Override
  public Path stateDirectory(int operator) {
    return dir.resolve("state").resolve(Integer.toString(operator));
  }

  /** Writes offsets/N; false if it exists (another runner on this checkpoint, or a re-run). */
  @Override
  public boolean writeOffsets(long batchId, OffsetSeq entry) {
    return offsets.add(batchId, entry.serialize());
  }

  @Override
  public List<Long> offsetsIds() {
    return offsets.ids();
  }

  @Override
  public Optional<OffsetSeq> readOffsets(long batchId) {
    return offsets.get(batchId).map(c -> OffsetSeq.parse(offsets.file(batchId), c));
  }

  /** Writes commits/N; false if it exists. */
  @Override
  public boolean writeCommit(long batchId, CommitEntry entry) {
    return commits.add(batchId, entry.serialize());
  }

  @Override
  public Optional<CommitEntry> readCommit(long batchId) {
    return commits.get(batchId).map(c -> CommitEntry.parse(commits.file(batchId), c));
  }

  @Override
  public OptionalLong latestOffsetsId() {
    return offsets.latestId();
  }

  @Override
  public OptionalLong latestCommitId() {
    return commits.latestId();
  }

  @Override
  public void purge(long currentBatch, int retain) {
    long keepFrom = currentBatch - retain;
    if (keepFrom <= 0) {
      return;
    }
    if (!purgedOnce) {
      // the first purge of a run sweeps everything older (retention may have been lowered)
      offsets.purgeBefore(keepFrom);
      commits.purgeBefore(keepFrom);
      purgedOnce = true;
    } else {
      // afterwards one entry falls out of the window per batch: no directory listing
      offsets.delete(keepFrom - 1);
      commits.delete(keepFrom - 1);
    }
  }
}
