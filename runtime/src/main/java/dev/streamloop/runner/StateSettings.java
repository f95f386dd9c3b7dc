package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.StateSpec;
import dev.streamloop.api.v1alpha1.StreamingQuerySpec;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.checkpoint.CheckpointManifest.StateOperator;
import dev.streamloop.engine.state.KeyGroups;
import dev.streamloop.engine.state.StateStoreSettings;
import dev.streamloop.engine.state.StateStoreSettings.Kind;
import dev.streamloop.engine.state.rocksdb.RocksDbMemory;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The state settings a runner uses: the spec's store, the checkpoint's key groups (from its
 * manifest), the local volume ({@code STREAMLOOP_LOCAL_DIR}, which the operator mounts as an
 * emptyDir; else the JVM's temporary directory) and RocksDB's memory from the container's limit
 * ({@code STREAMLOOP_MEMORY_LIMIT} from the pod's limits.memory, else the cgroup's).
 */
final class StateSettings {
  static final String LOCAL_DIR_ENV = "STREAMLOOP_LOCAL_DIR";
  static final String MEMORY_LIMIT_ENV = "STREAMLOOP_MEMORY_LIMIT";

  private StateSettings() {}

  static StateStoreSettings of(StreamingQuerySpec spec, Checkpoint checkpoint) {
    Optional<StateOperator> aggregate =
        checkpoint.manifest().flatMap(m -> m.stateOperators().stream().findFirst());
    String local = System.getenv(LOCAL_DIR_ENV);
    Path localRoot =
        local != null && !local.isBlank()
            ? Path.of(local, "state")
            : Path.of(System.getProperty("java.io.tmpdir"), "streamloop-state");
    return new StateStoreSettings(
        aggregate.map(StateOperator::id).orElse(0),
        StateSpec.store(spec) == StateSpec.Store.ROCKSDB ? Kind.ROCKSDB : Kind.HEAP,
        new KeyGroups(aggregate.map(StateOperator::keyGroups).orElse(KeyGroups.DEFAULT_COUNT)),
        localRoot,
        RocksDbMemory.forLimit(RocksDbMemory.containerLimit(System.getenv(MEMORY_LIMIT_ENV))));
  }
}
