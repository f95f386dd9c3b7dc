package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.engine.Clock;
import dev.streamloop.engine.QueryDefinition;
import dev.streamloop.engine.Share;
import dev.streamloop.engine.checkpoint.Checkpoint;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The runner's assembly of a query whose data volumes are directories of this machine, as {@code
 * run --mount /data=dir} does: in the runner's package, since mounts are not part of its API.
 */
public final class MountedAssembly {
  private MountedAssembly() {}

  public static QueryDefinition assemble(
      StreamingQuery query, Checkpoint checkpoint, Map<String, String> mounts)
      throws InvalidQueryException {
    return QueryAssembler.assemble(
        query,
        new RunnerContext(
            checkpoint,
            Clock.SYSTEM,
            new PrintStream(OutputStream.nullOutputStream()),
            Share.ALL,
            new SecretFiles(SecretFiles.DEFAULT_DIR),
            new LocalPaths(mounts)));
  }
}
