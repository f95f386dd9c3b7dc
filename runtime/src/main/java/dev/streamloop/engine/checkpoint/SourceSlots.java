package dev.streamloop.engine.checkpoint;

import dev.streamloop.engine.checkpoint.CheckpointManifest.SourceIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a query's sources to a checkpoint's by name: the checkpoint's entries are positional
 * (offsets line i, {@code sources/i}), so a query whose spec lists the same sources in another
 * order must still give source i of the checkpoint its own offsets, never another source's.
 */
public final class SourceSlots {
  private SourceSlots() {}

  /**
   * For each of the checkpoint's source positions, the index of that source in {@code query}.
   *
   * @param manifest The checkpoint's manifest (see {@link CheckpointManifest}).
   * @param query The sources of the query about to run, in spec order.
   * @throws CheckpointException naming every source that is new, gone or of another kind: a
   *     checkpoint keeps the offsets of the sources it was written for.
   */
  public static List<Integer> arrange(
      Path manifestFile, CheckpointManifest manifest, List<SourceIdentity> query) {
    List<String> problems = problems(manifest, query);
    if (!problems.isEmpty()) {
      throw new CheckpointException(
          manifestFile,
          "the checkpoint was written for the sources "
              + manifest.sources()
              + " and the query has "
              + query
              + ": "
              + String.join(", ", problems)
              + ". A checkpoint holds the offsets of the sources it was written for: restore"
              + " the spec's sources, or start from an empty checkpoint (spec.checkpoint"
              + ".resetNonce) to read every source from its starting offsets");
    }
    List<Integer> order = new ArrayList<>();
    for (SourceIdentity recorded : manifest.sources()) {
      for (int i = 0; i < query.size(); i++) {
        if (query.get(i).name().equals(recorded.name())) {
          order.add(i);
        }
      }
    }
    return List.copyOf(order);
  }

  /** Each source of {@code query} that is new, gone or of another kind than in the checkpoint. */
  public static List<String> problems(CheckpointManifest manifest, List<SourceIdentity> query) {
    Map<String, SourceIdentity> byName = new LinkedHashMap<>();
    query.forEach(source -> byName.put(source.name(), source));
    List<String> problems = new ArrayList<>();
    for (SourceIdentity recorded : manifest.sources()) {
      SourceIdentity now = byName.remove(recorded.name());
      if (now == null) {
        problems.add("source " + recorded.name() + " is gone");
      } else if (!now.kind().equals(recorded.kind())) {
        problems.add(
            "source "
                + recorded.name()
                + " was a "
                + recorded.kind()
                + " source and is now a "
                + now.kind()
                + " source (its offsets would mean nothing to it)");
      }
    }
    byName.keySet().forEach(name -> problems.add("source " + name + " is new"));
    return problems;
  }
}
