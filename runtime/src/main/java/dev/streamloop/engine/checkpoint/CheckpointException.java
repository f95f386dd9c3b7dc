package dev.streamloop.engine.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint that cannot be used: a corrupt or truncated file, a gap in a log, or another writer
 * on the same checkpoint. Never recovered from by starting over: the runner stops (exit code 2)
 * with this message, which names the file.
 */
public class CheckpointException extends RuntimeException {
  private final transient Path file;

  public CheckpointException(Path file, String problem) {
    super("checkpoint file " + file + ": " + problem);
    this.file = file;
  }

  public CheckpointException(Path file, String problem, Throwable cause) {
    super("checkpoint file " + file + ": " + problem, cause);
    this.file = file;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }
}
