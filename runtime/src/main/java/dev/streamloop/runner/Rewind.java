package dev.streamloop.runner;

import dev.streamloop.engine.QueryDefinition;
import dev.streamloop.engine.Sink;
import dev.streamloop.engine.Source;
import dev.streamloop.engine.checkpoint.AtomicFiles;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.CommitEntry;
import dev.streamloop.engine.checkpoint.OffsetSeq;
import dev.streamloop.engine.state.HeapStateStore;
import dev.streamloop.engine.state.StateStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A replay in place (spec.rewind): the query goes back to its sources' earliest data, to a time, or
 * to the start of a recorded batch, and runs again into the same sinks. It is recorded as a batch
 * of its own that reads nothing (offsets and commit, ids never reused, so that the sinks' batch
 * bookkeeping stays exact), whose end offsets are where the replay starts; the next batch reads on
 * from there. The aggregation's state goes back with it: to the state before the recorded batch, or
 * empty for the earliest data or a time. Done once per nonce: {@code rewinds/<nonce>} records it.
 *
 * @param argument The time (RFC 3339) or the batch id; null for EARLIEST.
 */
record Rewind(long nonce, From from, String argument) {
  /** Where a replay starts. */
  enum From {
    EARLIEST,
    TIMESTAMP,
    BATCH
  }

  /** {@code 3:earliest}, {@code 3:timestamp:2026-12-01T00:00:00Z} or {@code 3:batch:42}. */
  static Rewind parse(String text) {
    String[] parts = text.strip().split(":", 3);
    try {
      From from = From.valueOf(parts[1].toUpperCase(Locale.ROOT));
      Rewind rewind =
          new Rewind(Long.parseLong(parts[0]), from, parts.length > 2 ? parts[2] : null);
      if ((from == From.EARLIEST) != (rewind.argument == null)) {
        throw new IllegalArgumentException("argument");
      }
      if (from == From.TIMESTAMP) {
        java.time.OffsetDateTime.parse(rewind.argument);
      } else if (from == From.BATCH) {
        Long.parseLong(rewind.argument);
      }
      return rewind;
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "rewind '"
              + text
              + "': expected NONCE:earliest, NONCE:timestamp:RFC3339-TIME or NONCE:batch:BATCH-ID");
    }
  }

  @Override
  public String toString() {
    return nonce
        + ":"
        + from.name().toLowerCase(Locale.ROOT)
        + (argument == null ? "" : ":" + argument);
  }

  private Path marker(Path dir) {
    return dir.resolve("rewinds").resolve(Long.toString(nonce));
  }

  /** Whether this rewind was done on the checkpoint in {@code dir} (now or before). */
  boolean done(Path dir) {
    return Files.exists(marker(dir));
  }

  /**
   * Records the rewind in the checkpoint unless it was done already; returns the id of the batch
   * that records it, or -1. Call it before the loop starts.
   */
  long applyTo(Path dir, Checkpoint checkpoint, QueryDefinition query) {
    if (done(dir)) {
      return -1;
    }
    for (Source source : query.sources()) {
      if (!source.replayable()) {
        throw new IllegalArgumentException(
            "spec.rewind: "
                + source.description()
                + " cannot be rewound: it reads each file once and remembers the files of its"
                + " retained batches as read; start from an empty checkpoint"
                + " (spec.checkpoint.resetNonce) to read its files again");
      }
    }
    OptionalLong logged = checkpoint.latestOffsetsId();
    try {
      if (logged.isEmpty()) {
        writeMarker(dir, "nothing to rewind: the checkpoint had no batch\n");
        return -1;
      }
      long last = logged.getAsLong();
      OffsetSeq lastEntry = checkpoint.readOffsets(last).orElseThrow();
      boolean inFlight = checkpoint.readCommit(last).isEmpty();
      long replayFrom = from == From.BATCH ? Long.parseLong(argument) : 0;
      if (from == From.BATCH && (replayFrom < 0 || replayFrom > last)) {
        throw new IllegalArgumentException(
            "spec.rewind.batchId: "
                + replayFrom
                + " is not a batch of this checkpoint (0 to "
                + last
                + ")");
      }
      List<String> offsets = startOffsets(checkpoint, query, replayFrom);
      long watermark =
          from == From.BATCH && replayFrom > 0
              ? checkpoint.readOffsets(replayFrom).map(OffsetSeq::batchWatermarkMs).orElse(0L)
              : 0;
      long batch = last + 1;
      checkpoint.writeOffsets(batch, new OffsetSeq(watermark, System.currentTimeMillis(), offsets));
      // the sinks record both batches as empty, so that their own batch records stay in step
      // with the checkpoint; a batch in flight is not re-run (the replay reads its data again)
      for (Sink sink : query.sinks()) {
        sink.open(inFlight ? last - 1 : last);
        if (inFlight) {
          sink.addBatch(last, query.query().outputColumns(), List.of());
        }
      }
      if (inFlight) {
        checkpoint.writeCommit(last, new CommitEntry(lastEntry.batchWatermarkMs()));
      }
      for (Sink sink : query.sinks()) {
        sink.addBatch(batch, query.query().outputColumns(), List.of());
      }
      rewindState(checkpoint, query, replayFrom, batch + 1);
      checkpoint.writeCommit(batch, new CommitEntry(watermark));
      writeMarker(dir, "batch " + batch + " replays from " + this + "\n");
      return batch;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewind checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Where each source starts again: from a recorded batch's start, or from the source. */
  private List<String> startOffsets(Checkpoint checkpoint, QueryDefinition query, long batch) {
    if (from == From.BATCH) {
      if (batch == 0) {
        return new ArrayList<>(Collections.nCopies(query.sources().size(), null));
      }
      return checkpoint
          .readOffsets(batch - 1)
          .orElseThrow(
              () ->
                  new CheckpointException(
                      checkpoint.offsetsEntry(batch - 1),
                      "missing: batch "
                          + batch
                          + " is older than the checkpoint keeps (spec.checkpoint.retainBatches);"
                          + " rewind to a later batch, or to a time"))
          .endOffsets();
    }
    Long timestamp =
        from == From.TIMESTAMP
            ? java.time.OffsetDateTime.parse(argument).toInstant().toEpochMilli()
            : null;
    List<String> offsets = new ArrayList<>();
    for (Source source : query.sources()) {
      offsets.add(source.rewindOffset(timestamp));
    }
    return offsets;
  }

  /**
   * The state the next batch ({@code next}) loads: the state before the replayed batch, or empty.
   */
  private void rewindState(Checkpoint checkpoint, QueryDefinition query, long replayFrom, long next)
      throws IOException {
    if (!query.query().stateful()) {
      return;
    }
    Path state = checkpoint.stateDirectory(query.state().operatorId());
    if (from == From.BATCH && replayFrom > 0) {
      StateStores.copyVersion(state, replayFrom, next, query.state().keyGroups());
    } else {
      // an empty snapshot: a RocksDB store starts from it as from any heap version
      HeapStateStore.writeEmpty(state, next);
    }
  }

  private void writeMarker(Path dir, String text) throws IOException {
    Files.createDirectories(marker(dir).getParent());
    AtomicFiles.createExclusive(marker(dir), text.getBytes(StandardCharsets.UTF_8));
  }
}
