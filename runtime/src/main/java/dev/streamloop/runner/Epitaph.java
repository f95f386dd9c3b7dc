package dev.streamloop.runner;

import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.StreamingQueryProgress;

/**
 * What the termination log says if the runner ends without writing it: the JVM's exit on an
 * OutOfMemoryError (exit code 3, {@code -XX:+ExitOnOutOfMemoryError}) or a kill (the kernel's OOM
 * killer) leaves no time for a message, so the runner writes one in advance, at start and after
 * each batch, naming the batch it is in; every ordinary end overwrites it with the real reason.
 */
final class Epitaph implements ProgressListener {
  private final TerminationLog log;
  private long lastBatch = Long.MIN_VALUE;

  Epitaph(TerminationLog log) {
    this.log = log;
  }

  /** The message for a runner that ended {@code when} (during start-up, during batch 7). */
  static String ended(String when) {
    return "the runner ended "
        + when
        + " without saying why: with exit code 3 the JVM ran out of memory, with 137 it was"
        + " killed (OOMKilled: the container's memory limit); raise"
        + " spec.runner.resources.limits.memory, or read less per batch (maxFilesPerTrigger,"
        + " maxBytesPerTrigger, maxOffsetsPerTrigger)";
  }

  void atStart() {
    log.write(ended("during start-up, before its first batch"));
  }

  @Override
  public void onStarted(String queryId, String runId) {
    log.write(ended("during its first batch after start"));
  }

  @Override
  public void onProgress(StreamingQueryProgress progress) {
    if (progress.batchId() != lastBatch) {
      lastBatch = progress.batchId();
      log.write(ended("during the batch after batch " + progress.batchId()));
    }
  }
}
