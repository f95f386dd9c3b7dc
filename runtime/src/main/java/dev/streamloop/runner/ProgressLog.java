package dev.streamloop.runner;

import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.StreamingQueryProgress;
import java.lang.management.ManagementFactory;

/** One line per batch on standard error, for people watching a local run. */
final class ProgressLog implements ProgressListener {
  private boolean firstBatchReported;
  private long startedAt;
  private long batches;
  private long inputRows;

  @Override
  public void onStarted(String queryId, String runId) {
    startedAt = System.currentTimeMillis();
    long sinceStart = startedAt - ManagementFactory.getRuntimeMXBean().getStartTime();
    System.err.println(
        "query "
            + queryId
            + " started (run "
            + runId
            + "), "
            + sinceStart
            + " ms after the process");
  }

  @Override
  public void onProgress(StreamingQueryProgress p) {
    if (p.ranBatch()) {
      batches++;
      inputRows += p.numInputRows();
      System.err.printf(
          "batch %d: %d rows in %d ms (%.1f rows/s; walCommit %d, addBatch %d, commitOffsets %d)%n",
          p.batchId(),
          p.numInputRows(),
          p.batchDuration(),
          p.processedRowsPerSecond() == null ? 0.0 : p.processedRowsPerSecond(),
          p.durationMs().getOrDefault("walCommit", 0L),
          p.durationMs().getOrDefault("addBatch", 0L),
          p.durationMs().getOrDefault("commitOffsets", 0L));
      for (StreamingQueryProgress.SinkProgress sink : p.allSinks()) {
        if (!sink.metrics().isEmpty()) {
          System.err.printf("  sink %s: %s%n", sink.description(), sink.metrics());
        }
      }
      for (StreamingQueryProgress.StateOperatorProgress state : p.stateOperators()) {
        System.err.printf(
            "  state: %d keys (%d updated, %d removed, %d late rows dropped), ~%d MB, commit %d ms,"
                + " %d bytes written%n",
            state.numRowsTotal(),
            state.numRowsUpdated(),
            state.numRowsRemoved(),
            state.numRowsDroppedByWatermark(),
            state.memoryUsedBytes() >> 20,
            state.commitTimeMs(),
            state.customMetrics().getOrDefault("stateBytesWritten", 0L));
      }
      if (!firstBatchReported) {
        firstBatchReported = true;
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.err.printf(
            "first batch done %d ms after the process started%n",
            System.currentTimeMillis() - jvmStart);
      }
    }
  }

  @Override
  public void onRetry(long batchId, String reason, int attempt, long delayMs) {
    System.err.printf("batch %d waits: %s; retry %d in %d ms%n", batchId, reason, attempt, delayMs);
  }

  @Override
  public void onTerminated(Throwable error) {
    long ms = Math.max(1, System.currentTimeMillis() - startedAt);
    System.err.printf(
        "%s after %d ms: %d batches, %d input rows (%.0f rows/s)%n",
        error == null ? "query stopped" : "query failed: " + error.getMessage(),
        ms,
        batches,
        inputRows,
        inputRows * 1000.0 / ms);
  }
}
