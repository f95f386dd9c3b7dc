package dev.streamloop.engine;

import dev.streamloop.engine.state.KeyGroups;
import dev.streamloop.engine.state.StateStoreSettings;
import dev.streamloop.engine.state.StateStoreSettings.Kind;
import dev.streamloop.engine.state.rocksdb.RocksDbMemory;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Every case of {@link WindowedAggregationTest} with the state in RocksDB. */
class RocksDbWindowedAggregationTest extends WindowedAggregationTest {
  @TempDir Path local;

  @Override
  StateStoreSettings stateSettings() {
    return new StateStoreSettings(
        0,
        Kind.ROCKSDB,
        new KeyGroups(KeyGroups.DEFAULT_COUNT),
        local,
        RocksDbMemory.forLimit(128 << 20));
  }
}
