package dev.streamloop.runner;

import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.StreamingQueryProgress;

/**
 * What this runner process did, for its termination message: the batches it ran and the rows they
 * read. The operator reads the last line (JSON) from the finished pod into the query's run history
 * (status.runs: batches, rows), the first is for people ({@code kubectl describe pod}).
 */
final class RunSummary implements ProgressListener {
  private long batches;
  private long inputRows;
  private long lastBatchId = -1;
  private String lastBatchTime;

  @Override
  public synchronized void onProgress(StreamingQueryProgress progress) {
    // a trigger that found no data reports no addBatch, as in Spark
    if (!progress.ranBatch()) {
      return;
    }
    batches++;
    inputRows += progress.numInputRows();
    lastBatchId = progress.batchId();
    lastBatchTime = progress.timestamp();
  }

  /** Two lines: {@code headline} with the figures in words, then the figures as JSON. */
  synchronized String message(String headline) {
    // at most 3 KiB of UTF-8 for the headline: the kubelet keeps 4 KiB, the JSON line must fit
    String cut = headline.length() <= 1000 ? headline : headline.substring(0, 999) + "…";
    String words =
        cut
            + ": "
            + batches
            + " batch(es), "
            + inputRows
            + " input row(s)"
            + (lastBatchId < 0 ? "" : ", last batch " + lastBatchId + " at " + lastBatchTime);
    return words
        + "\n{\"batches\":"
        + batches
        + ",\"numInputRows\":"
        + inputRows
        + ",\"lastBatchId\":"
        + lastBatchId
        + "}";
  }
}
