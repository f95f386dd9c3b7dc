package dev.streamloop.engine.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.streamloop.engine.checkpoint.AtomicFiles;
import dev.streamloop.engine.checkpoint.CheckpointException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code _schema} file of an aggregation's state directory: written when the state starts,
 * checked at every start against the aggregation that runs. A file from before the JSON form (the
 * planner's description of the aggregate) that describes this very aggregation is rewritten in the
 * JSON form once; any other difference refuses the checkpoint, naming what changed.
 */
final class StateSchemaFile {
  static final String NAME = "_schema";

  private StateSchemaFile() {}

  /**
   * Why state kept under {@code kept} (a {@code _schema} file's text) cannot serve {@code schema};
   * empty when it can. {@code legacy} is this aggregation's description in the older text form.
   */
  static List<String> differences(String kept, AggregateStateSchema schema, String legacy) {
    if (!AggregateStateSchema.isJson(kept)) {
      return kept.equals(legacy)
          ? List.of()
          : List.of(
              "the state was kept for " + kept.strip() + "; the query now has " + legacy.strip());
    }
    try {
      return AggregateStateSchema.parse(kept).differences(schema);
    } catch (JsonProcessingException e) {
      return List.of("the state's " + NAME + " cannot be read: " + e.getOriginalMessage());
    }
  }

  /** Creates or checks (and, from the older form, migrates) the file in {@code stateDir}. */
  static void open(Path stateDir, AggregateStateSchema schema, String legacy, boolean hasState) {
    Path file = stateDir.resolve(NAME);
    String json = schema.toJson();
    try {
      if (!Files.exists(file) && hasState) {
        // re-created, it would let a changed aggregation read the old state as its own
        throw new CheckpointException(
            file,
            "missing, but the state has versions: what aggregation kept them is lost; restore the"
                + " file, or start from an empty checkpoint (spec.checkpoint.resetNonce)");
      }
      AtomicFiles.createExclusive(file, json.getBytes(StandardCharsets.UTF_8));
      String kept = Files.readString(file, StandardCharsets.UTF_8);
      List<String> differences = differences(kept, schema, legacy);
      if (!differences.isEmpty()) {
        throw new CheckpointException(
            file,
            "the checkpoint's state was kept for another aggregation: "
                + String.join("; ", differences)
                + ". As in Spark, a changed grouping or aggregate cannot use the old state: restore"
                + " the query, or start from an empty checkpoint (spec.checkpoint.resetNonce, or"
                + " spec.evolution.onIncompatible ResetState)");
      }
      if (!AggregateStateSchema.isJson(kept)) {
        AtomicFiles.replace(file, out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
