package dev.streamloop.engine.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the loop keeps what makes a restart exact: the query id, the offsets log (written before a
 * batch runs), the commit log (written after its sinks), each source's own log and the manifest
 * that says which source each positional entry belongs to. Entries are written once and never
 * overwritten; a second writer of the same entry loses ({@code false}). {@link FileCheckpoint}
 * keeps them in a directory.
 */
public interface Checkpoint {
  /** The entry offsets/N, to name it in messages. */
  Path offsetsEntry(long batchId);

  /** The entry commits/N, to name it in messages. */
  Path commitsEntry(long batchId);

  /** The manifest's entry, to name it in messages. */
  Path manifestEntry();

  /**
   * What the checkpoint was written for; empty for a new checkpoint and for one written before
   * manifests existed (its sources are then in the order of the spec that wrote it).
   */
  Optional<CheckpointManifest> manifest();

  /** Writes the manifest, replacing the previous one. */
  void writeManifest(CheckpointManifest manifest);

  /** The query id: stable for the life of the checkpoint. */
  String queryId();

  /** The private log of source {@code index} (for example, the files of each batch). */
  MetadataLog sourceLog(int index);

  /** The directory of stateful operator {@code operator}'s state ({@code state/<operator>}). */
  Path stateDirectory(int operator);

  /** Writes offsets/N; false if it exists (another runner on this checkpoint). */
  boolean writeOffsets(long batchId, OffsetSeq entry);

  Optional<OffsetSeq> readOffsets(long batchId);

  /** The batch ids of the retained offsets entries, ascending. */
  List<Long> offsetsIds();

  /** Writes commits/N; false if it exists. */
  boolean writeCommit(long batchId, CommitEntry entry);

  Optional<CommitEntry> readCommit(long batchId);

  OptionalLong latestOffsetsId();

  OptionalLong latestCommitId();

  /** Keeps the entries of the last {@code retain} batches before {@code currentBatch}. */
  void purge(long currentBatch, int retain);
}
