package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.RunnerStart;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.engine.QueryDefinition;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.checkpoint.CheckpointManifest;
import dev.streamloop.engine.checkpoint.OffsetSeq;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a starting runner reports beside its progress: the generation and image it runs, hashes of
 * its SQL and of its state's plan, and the batch and offsets it starts at (where a new generation
 * took over from the old one).
 */
final class RunnerStarts {
  private RunnerStarts() {}

  /**
   * @param rewind The spec's rewind when it was done on this checkpoint (null: none).
   */
  static RunnerStart of(
      StreamingQuery query, QueryDefinition definition, Checkpoint checkpoint, Rewind rewind) {
    OptionalLong logged = checkpoint.latestOffsetsId();
    OptionalLong committed = checkpoint.latestCommitId();
    long batch =
        logged.isPresent() && (committed.isEmpty() || committed.getAsLong() < logged.getAsLong())
            ? logged.getAsLong()
            : committed.isPresent() ? committed.getAsLong() + 1 : 0;
    Map<String, String> offsets = null;
    if (committed.isPresent()) {
      OffsetSeq seq = checkpoint.readOffsets(committed.getAsLong()).orElse(null);
      List<CheckpointManifest.SourceIdentity> sources =
          checkpoint.manifest().map(CheckpointManifest::sources).orElse(List.of());
      if (seq != null) {
        offsets = new LinkedHashMap<>();
        for (int i = 0; i < seq.endOffsets().size() && i < sources.size(); i++) {
          if (seq.endOffsets().get(i) != null) {
            offsets.put(sources.get(i).name(), seq.endOffsets().get(i));
          }
        }
      }
    }
    String stateSchema = definition.query().stateSchema();
    return new RunnerStart(
        query.getMetadata().getGeneration(),
        System.getenv("STREAMLOOP_RUNNER_IMAGE"),
        hash(query.getSpec().query()),
        stateSchema == null ? null : hash(stateSchema),
        batch,
        offsets,
        rewind == null ? null : rewind.toString());
  }

  /** The first 16 hex digits of the text's SHA-256. */
  static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
