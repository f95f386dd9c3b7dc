package dev.streamloop.engine;

import dev.streamloop.engine.state.KeyGroups;
import dev.streamloop.engine.state.StateStoreSettings;
import dev.streamloop.engine.state.StateStoreSettings.Kind;
import dev.streamloop.engine.state.rocksdb.RocksDbMemory;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Every case of {@link StreamingAggregationTest} with the state in RocksDB. */
class RocksDbStreamingAggregationTest extends StreamingAggregationTest {
  @TempDir Path local;

  @Override
  StateStoreSettings stateSettings() {
    return rocksDb(local);
  }

  /** RocksDB state with its working files in {@code local}, as the engine tests use it. */
  static StateStoreSettings rocksDb(Path local) {
    return new StateStoreSettings(
        0,
        Kind.ROCKSDB,
        new KeyGroups(KeyGroups.DEFAULT_COUNT),
        local,
        RocksDbMemory.forLimit(128 << 20));
  }
}
