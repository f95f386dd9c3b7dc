package dev.streamloop.runner;

import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.StatusMessages;
import dev.streamloop.engine.StreamingQueryProgress;

/**
 * Whether the loop is waiting for an unavailable source or sink, and why: /readyz answers 503 with
 * the reason meanwhile, so the pod is not Ready, while /healthz stays 200 (restarting the runner
 * would not bring the brokers back). Any later progress but a retry's clears it.
 */
final class RetryStatus implements ProgressListener {
  private volatile String reason;

  /** Why the loop is retrying, or null. */
  String reason() {
    return reason;
  }

  @Override
  public void onRetry(long batchId, String reason, int attempt, long delayMs) {
    this.reason = "batch " + batchId + ": " + reason + " (attempt " + attempt + ")";
  }

  @Override
  public void onProgress(StreamingQueryProgress progress) {
    if (progress.message() == null || !progress.message().startsWith(StatusMessages.RETRYING)) {
      reason = null;
    }
  }
}
