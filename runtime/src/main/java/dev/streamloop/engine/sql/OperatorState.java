package dev.streamloop.engine.sql;

import dev.streamloop.engine.StreamingQueryProgress.StateOperatorProgress;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.state.StateStore;
import dev.streamloop.engine.state.StateStoreSettings;
import dev.streamloop.engine.state.StateStores;
import dev.streamloop.engine.state.StateTooLargeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The state of one stateful operator (an aggregation, a deduplication) across batches: where it
 * lives in the checkpoint, the schema it was kept for, the store that holds the version a batch
 * reads, and its commit with Spark's progress figures.
 */
final class OperatorState {
  private final AggregateStateSchema schema;

  /** The operator as releases before the JSON schema described it (to migrate their files). */
  private final String legacySchema;

  private Path stateDir;
  private int retainBatches;
  private StateStoreSettings settings;
  private StateStore store;

  OperatorState(AggregateStateSchema schema, String legacySchema) {
    this.schema = schema;
    this.legacySchema = legacySchema;
  }

  AggregateStateSchema schema() {
    return schema;
  }

  List<String> differences(String kept) {
    return StateSchemaFile.differences(kept, schema, legacySchema);
  }

  /**
   * Remembers where the state lives, and refuses a checkpoint whose state was kept for another
   * operator (other keys or functions): read as this one, it would be silently wrong.
   */
  void open(Checkpoint checkpoint, int retainBatches, StateStoreSettings settings) {
    this.stateDir = checkpoint.stateDirectory(settings.operatorId());
    this.retainBatches = retainBatches;
    this.settings = settings;
    try {
      StateSchemaFile.open(stateDir, schema, legacySchema, hasStateFiles(stateDir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + stateDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The store holding version {@code batchId}: the one this run used for the batch before, or
   * loaded again for the first batch of a run or a re-run of a batch that failed in this process.
   */
  StateStore storeFor(long batchId) {
    if (stateDir == null) {
      throw new IllegalStateException("a stateful query must be opened on a checkpoint first");
    }
    if (store == null || store.version() != batchId || store.hasUncommittedChanges()) {
      close();
      store = StateStores.open(stateDir, batchId, settings);
    }
    return store;
  }

  /**
   * Checks that what the store holds on the heap (every key, or with RocksDB the batch's changed
   * keys) still fits, so that the runner stops with a message instead of an OOM.
   */
  void checkHeap() {
    long max = Runtime.getRuntime().maxMemory();
    long estimate = store.heapBytes();
    // the state's changes and the emitted rows take about as much again while a batch runs
    if (estimate > max * 0.4) {
      throw settings.kind() == StateStoreSettings.Kind.HEAP
          ? new StateTooLargeException(store.size(), estimate, max)
          : StateTooLargeException.batchTooLarge(store.changes().size(), estimate, max);
    }
  }

  /** What an OutOfMemoryError in a batch means, with the state released so it can be reported. */
  StateTooLargeException outOfMemory() {
    long keys = store.size();
    close();
    return new StateTooLargeException(keys, keys * 200, Runtime.getRuntime().maxMemory());
  }

  /** What an OutOfMemoryError in a batch of a join means, the state released to report it. */
  StateTooLargeException joinOutOfMemory() {
    long keys = store.size();
    close();
    return StateTooLargeException.joinBatchTooLarge(keys, Runtime.getRuntime().maxMemory());
  }

  /** Makes the batch's state durable; Spark's figures for {@code stateOperators}. */
  StateOperatorProgress commit(String operatorName, long updated, long droppedByWatermark) {
    StateStore.Commit commit = store.commit();
    store.purge(retainBatches);
    return new StateOperatorProgress(
        operatorName,
        store.size(),
        updated,
        commit.removed(),
        droppedByWatermark,
        store.memoryBytes(),
        commit.millis(),
        Map.of("stateBytesWritten", commit.bytesWritten()));
  }

  void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  /**
   * Whether an operator wrote state here: every commit writes a delta or a RocksDB version. (A
   * checkpoint reset leaves only an empty snapshot, which no operator owns yet.)
   */
  private static boolean hasStateFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.list(dir)) {
      return files.anyMatch(
          f -> {
            String name = f.getFileName().toString();
            return name.endsWith(".delta") || name.endsWith(".rocksdb");
          });
    }
  }
}
