package dev.streamloop.engine;

import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.CommitEntry;
import dev.streamloop.engine.checkpoint.OffsetSeq;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The micro-batch loop, with Spark's protocol: plan a batch (new end offsets), write offsets/N,
 * read and run the query, hand the result to every sink, write commits/N. A restart re-runs an
 * uncommitted batch with exactly its logged offsets and timestamp. {@link #run()} returns when the
 * query is stopped or, for available-now, when everything available at start was processed.
 */
public final class MicroBatchExecution {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchExecution.class);

  private final QueryDefinition query;
  private final Checkpoint checkpoint;
  private final Clock clock;
  private final ProgressListener listener;
  private final String runId = UUID.randomUUID().toString();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final BatchRunner batchRunner;
  private final RetryBackoff retryBackoff;
  private volatile boolean stopRequested;

  private long nextBatchId;
  private List<String> committedOffsets;

  /** The watermark for the next batch. */
  private long watermarkMs;

  /** The watermark the last batch ran with (a no-data batch runs when the next one is higher). */
  private long lastBatchWatermarkMs;

  private long idleWaitMs;

  public MicroBatchExecution(
      QueryDefinition query, Checkpoint checkpoint, Clock clock, ProgressListener listener) {
    this(query, checkpoint, clock, listener, RetryBackoff.DEFAULT);
  }

  public MicroBatchExecution(
      QueryDefinition query,
      Checkpoint checkpoint,
      Clock clock,
      ProgressListener listener,
      RetryBackoff retryBackoff) {
    this.retryBackoff = retryBackoff;
    this.query = query;
    this.checkpoint = checkpoint;
    this.clock = clock;
    this.listener = listener;
    this.batchRunner = new BatchRunner(query, checkpoint, clock, runId);
  }

  /** Asks the loop to stop after the batch in flight commits; safe from any thread. */
  public void stop() {
    stopRequested = true;
    lock.lock();
    try {
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Runs the loop on the calling thread. */
  public void run() {
    Throwable failure = null;
    try {
      OffsetSeq pending = recover();
      query.query().open(checkpoint, query.retainBatches(), query.state());
      listener.onStarted(checkpoint.queryId(), runId);
      if (retrying(nextBatchId, attempt -> openSinksAndPin()) == null) {
        return; // stopped while a sink or source was unavailable
      }
      if (pending != null && !stopRequested) {
        LOG.info("re-running uncommitted batch {} with its logged offsets", nextBatchId);
        runBatch(pending, true, clock.millis(), 0);
      }
      loop();
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      query.query().close();
      listener.onTerminated(failure);
    }
  }

  private Boolean openSinksAndPin() {
    long committed = committedBatch();
    query.sinks().forEach(sink -> sink.open(committed));
    if (query.trigger() instanceof Trigger.AvailableNow) {
      query.sources().forEach(Source::pinForAvailableNow);
    }
    return true;
  }

  /**
   * Runs {@code attempt} until it returns, retrying with backoff while it throws {@link
   * UnavailableException}; null when a stop request ends the wait. Attempt 0 is the first.
   */
  private <T> T retrying(long batchId, IntFunction<T> attempt) {
    for (int n = 0; ; n++) {
      try {
        return attempt.apply(n);
      } catch (UnavailableException e) {
        long delay = retryBackoff.delayMs(n + 1);
        LOG.warn("batch {}: {}; retrying in {} ms", batchId, e.getMessage(), delay);
        listener.onRetry(batchId, e.getMessage(), n + 1, delay);
        listener.onProgress(
            batchRunner.waiting(
                batchId,
                committedOffsets,
                StatusMessages.retrying(batchId, e.getMessage(), delay)));
        if (!waitUntil(clock.millis() + delay)) {
          return null;
        }
      }
    }
  }

  private void loop() {
    idleWaitMs = query.trigger() instanceof Trigger.BackToBack b ? b.minIdleMs() : 0;
    while (!stopRequested) {
      long triggerStart = clock.millis();
      boolean ran = runTrigger(triggerStart);
      if (!ran && query.trigger() instanceof Trigger.AvailableNow) {
        return;
      }
      waitForNextTrigger(triggerStart, ran);
    }
  }

  /** Constructs the next batch; runs it if any source has new data. */
  private boolean runTrigger(long triggerStart) {
    List<String> ends = retrying(nextBatchId, attempt -> plan());
    if (ends == null) {
      return false;
    }
    long latestOffsetMs = clock.millis() - triggerStart;
    boolean newData = false;
    for (int i = 0; i < ends.size(); i++) {
      newData |= !Objects.equals(committedOffsets.get(i), ends.get(i));
    }
    if (!newData) {
      if (query.query().actsOnWatermark() && watermarkMs > lastBatchWatermarkMs) {
        // Spark's no-data batch: the watermark moved, so windows close (emit, evict) without
        // waiting for new data; unlike Spark, also as the first batch after a restart
        runBatch(nextOffsets(ends), false, triggerStart, latestOffsetMs);
        return true;
      }
      batchRunner
          .idle(nextBatchId, triggerStart, committedOffsets, latestOffsetMs)
          .ifPresent(listener::onProgress);
      return false;
    }
    runBatch(nextOffsets(ends), false, triggerStart, latestOffsetMs);
    return true;
  }

  private List<String> plan() {
    List<String> ends = new ArrayList<>(query.sources().size());
    for (int i = 0; i < query.sources().size(); i++) {
      ends.add(query.sources().get(i).planBatch(nextBatchId, committedOffsets.get(i)));
    }
    return ends;
  }

  private OffsetSeq nextOffsets(List<String> ends) {
    return new OffsetSeq(watermarkMs, clock.millis(), ends, batchRunner.sourceWatermarks());
  }

  private void runBatch(OffsetSeq batch, boolean rerun, long triggerStart, long latestOffsetMs) {
    long batchId = nextBatchId;
    // a retry re-runs the batch with its logged offsets: only the checkpoint fails before them
    StreamingQueryProgress progress =
        retrying(
            batchId,
            attempt ->
                batchRunner.run(
                    batchId,
                    committedOffsets,
                    batch,
                    rerun || attempt > 0,
                    triggerStart,
                    latestOffsetMs));
    if (progress == null) {
      return; // stopped: the batch is re-run on the next start
    }
    committedOffsets = batch.endOffsets();
    nextBatchId = batchId + 1;
    lastBatchWatermarkMs = batch.batchWatermarkMs();
    watermarkMs = Math.max(watermarkMs, batchRunner.nextWatermarkMs());
    listener.onProgress(progress);
  }

  private void waitForNextTrigger(long triggerStart, boolean ran) {
    long deadline = clock.millis();
    if (query.trigger() instanceof Trigger.ProcessingTime p) {
      deadline = p.nextTriggerTime(triggerStart);
      long spent = clock.millis() - triggerStart;
      if (ran && spent > p.intervalMs()) {
        LOG.warn(
            "Current batch is falling behind. The trigger interval is {} milliseconds, but spent {}"
                + " milliseconds",
            p.intervalMs(),
            spent);
      }
    } else if (query.trigger() instanceof Trigger.BackToBack b) {
      if (ran) {
        idleWaitMs = b.minIdleMs();
      } else {
        deadline += idleWaitMs;
        idleWaitMs = Math.min(b.maxIdleMs(), idleWaitMs * 2);
      }
    }
    waitUntil(deadline);
  }

  /**
   * Waits until {@code deadline} or a stop request; false when stopped. A wait can end early (a
   * spurious wake-up), so it waits again until the deadline has really passed.
   */
  private boolean waitUntil(long deadline) {
    lock.lock();
    try {
      while (!stopRequested && clock.millis() < deadline) {
        clock.waitUntil(deadline, wakeUp);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopRequested = true;
    } finally {
      lock.unlock();
    }
    return !stopRequested;
  }

  /** The last batch the checkpoint committed, -1 for none (a batch to re-run is not committed). */
  private long committedBatch() {
    return checkpoint.latestCommitId().orElse(-1);
  }

  /**
   * Spark's restart decision: no offsets → batch 0; offsets/N committed → continue at N+1;
   * otherwise re-run N with its logged offsets. Returns the batch to re-run, or null.
   */
  private OffsetSeq recover() {
    int sources = query.sources().size();
    committedOffsets = new ArrayList<>(Collections.nCopies(sources, null));
    OptionalLong latest = checkpoint.latestOffsetsId();
    if (latest.isEmpty()) {
      nextBatchId = 0;
      watermarkMs = 0;
      return null;
    }
    long n = latest.getAsLong();
    OffsetSeq last = checkpoint.readOffsets(n).orElseThrow();
    checkSourceCount(n, last);
    restoreSources(n, last);
    watermarkMs = last.batchWatermarkMs();
    lastBatchWatermarkMs = last.batchWatermarkMs();
    OptionalLong committed = checkpoint.latestCommitId();
    batchRunner.restoreSourceWatermarks(last.sourceWatermarksMs());
    if (committed.isPresent() && committed.getAsLong() == n) {
      CommitEntry commit = checkpoint.readCommit(n).orElseThrow();
      watermarkMs = Math.max(watermarkMs, commit.nextBatchWatermarkMs());
      batchRunner.restoreSourceWatermarks(commit.sourceWatermarksMs());
      committedOffsets = new ArrayList<>(last.endOffsets());
      nextBatchId = n + 1;
      return null;
    }
    if (committed.isPresent() && committed.getAsLong() > n) {
      throw new CheckpointException(
          checkpoint.commitsEntry(committed.getAsLong()),
          "commits are ahead of offsets (" + n + "); the checkpoint is inconsistent");
    }
    if (n > 0) {
      OffsetSeq previous =
          checkpoint
              .readOffsets(n - 1)
              .orElseThrow(
                  () ->
                      new CheckpointException(
                          checkpoint.offsetsEntry(n - 1),
                          "missing: batch " + n + " cannot be re-run without its start offsets"));
      committedOffsets = new ArrayList<>(previous.endOffsets());
    }
    nextBatchId = n;
    return last;
  }

  /** Hands every retained offsets entry to the sources, oldest first (see Source#restore). */
  private void restoreSources(long latest, OffsetSeq latestEntry) {
    for (long id : checkpoint.offsetsIds()) {
      OffsetSeq entry = id == latest ? latestEntry : checkpoint.readOffsets(id).orElse(null);
      if (entry == null) {
        continue; // purged by retention between listing and reading
      }
      checkSourceCount(id, entry);
      for (int i = 0; i < entry.endOffsets().size(); i++) {
        if (entry.endOffsets().get(i) != null) {
          query.sources().get(i).restore(id, entry.endOffsets().get(i));
        }
      }
    }
  }

  private void checkSourceCount(long n, OffsetSeq entry) {
    if (entry.endOffsets().size() != query.sources().size()) {
      throw new CheckpointException(
          checkpoint.offsetsEntry(n),
          "records "
              + entry.endOffsets().size()
              + " source(s), the query has "
              + query.sources().size()
              + ": a checkpoint cannot survive a change of the source set; restore the sources or"
              + " start from an empty checkpoint (spec.checkpoint.resetNonce)");
    }
  }
}
