package dev.streamloop.engine.checkpoint;

/** Another runner holds the checkpoint: this one stops before touching it (exit 1, retryable). */
public final class CheckpointInUseException extends RuntimeException {
  public CheckpointInUseException(String message) {
    super(message);
  }
}
