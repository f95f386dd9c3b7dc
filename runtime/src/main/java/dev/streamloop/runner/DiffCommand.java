package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.CheckpointManifest;
import dev.streamloop.engine.checkpoint.FileCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints what an edit does to a running query's checkpoint, for a pull request: the verdict and its
 * reasons. Exits 0 when the checkpoint can serve the new spec, 1 when it cannot
 * (StateIncompatible), 2 when a document or the checkpoint cannot be read.
 */
@Command(
    name = "diff",
    description =
        "Classify an edit of a StreamingQuery: InPlace, RestartFromCheckpoint,"
            + " RestartFromEmptyCheckpoint or StateIncompatible (exit 1), with reasons.")
final class DiffCommand implements Callable<Integer> {
  static final int INCOMPATIBLE = 1;

  @Parameters(index = "0", paramLabel = "OLD", description = "The running StreamingQuery.")
  Path old;

  @Parameters(index = "1", paramLabel = "NEW", description = "The edited StreamingQuery.")
  Path next;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      description = "Also check NEW against this checkpoint (read only).")
  Path checkpoint;

  @Override
  public Integer call() {
    try {
      StreamingQuery running = QueryFiles.load(old);
      StreamingQuery edited = QueryFiles.load(next);
      QueryChange.Verdict verdict = QueryChange.classify(running, edited);
      if (checkpoint != null && verdict.kind() != QueryChange.Kind.RestartFromEmptyCheckpoint) {
        verdict = merge(verdict, againstCheckpoint(running, edited));
      }
      verdict.print(System.out);
      return verdict.exitCode();
    } catch (InvalidQueryException e) {
      e.errors().forEach(error -> System.err.println(next + ": " + error));
      return ExitCodes.INVALID;
    } catch (CheckpointException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return ExitCodes.INVALID;
    }
  }

  private QueryChange.Verdict againstCheckpoint(StreamingQuery running, StreamingQuery edited)
      throws InvalidQueryException {
    if (!Files.isRegularFile(checkpoint.resolve("metadata"))) {
      throw new IllegalArgumentException(
          "--checkpoint " + checkpoint + ": no checkpoint there (it has no metadata file)");
    }
    // a checkpoint from before manifests has its sources in the order of the spec that wrote it
    CheckpointManifest manifest =
        FileCheckpoint.open(checkpoint)
            .manifest()
            .orElseGet(() -> CheckpointSources.manifest(running.getSpec()));
    Path schema = checkpoint.resolve("state/0/_schema");
    String kept;
    try {
      kept = Files.exists(schema) ? Files.readString(schema, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      throw new CheckpointException(schema, "cannot be read: " + e.getMessage());
    }
    return QueryChange.classify(manifest, kept, edited);
  }

  private static QueryChange.Verdict merge(QueryChange.Verdict a, QueryChange.Verdict b) {
    List<String> reasons = new ArrayList<>(a.reasons());
    b.reasons().stream().filter(r -> !reasons.contains(r)).forEach(reasons::add);
    return reasons.isEmpty()
        ? a
        : new QueryChange.Verdict(QueryChange.Kind.StateIncompatible, reasons);
  }
}
