package dev.streamloop.runner;

import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.StreamingQueryProgress;

/** One line per batch on standard error, for people watching a local run. */
final class ProgressLog implements ProgressListener {
  @Override
  public void onStarted(String queryId, String runId) {
    System.err.println("query " + queryId + " started (run " + runId + ")");
  }

  @Override
  public void onProgress(StreamingQueryProgress p) {
    if (p.durationMs().containsKey("addBatch")) {
      System.err.printf(
          "batch %d: %d rows in %d ms (%.1f rows/s)%n",
          p.batchId(),
          p.numInputRows(),
          p.batchDuration(),
          p.processedRowsPerSecond() == null ? 0.0 : p.processedRowsPerSecond());
    }
  }

  @Override
  public void onTerminated(Throwable error) {
    System.err.println(error == null ? "query stopped" : "query failed: " + error.getMessage());
  }
}
