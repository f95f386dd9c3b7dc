package dev.streamloop.engine.state;

import dev.streamloop.engine.checkpoint.CheckpointException;
import java.nio.file.Path;

/** The errors of every store's checkpoint files: each names the file and what to do (exit 2). */
public final class StateFileErrors {
  private StateFileErrors() {}

  /** {@code file} exists but cannot be read as what it should be. */
  public static CheckpointException corrupt(Path file, String problem) {
    return new CheckpointException(
        file,
        problem
            + "; the query's state cannot be restored from it. Restore the file from a backup, or"
            + " start from an empty checkpoint (spec.checkpoint.resetNonce), which recomputes the"
            + " state from the sources' retained data only");
  }

  /** {@code file}, which version {@code version} of the state in {@code dir} needs, is gone. */
  public static CheckpointException missing(Path file, long version, Path dir) {
    return new CheckpointException(
        file,
        "missing: state version "
            + version
            + " cannot be rebuilt without it (the state files of "
            + dir
            + " were deleted or retention removed more than it should). Restore it, or start"
            + " from an empty checkpoint (spec.checkpoint.resetNonce)");
  }
}
