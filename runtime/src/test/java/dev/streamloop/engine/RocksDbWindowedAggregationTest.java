package dev.streamloop.engine;

import dev.streamloop.engine.state.StateStoreSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Every case of {@link WindowedAggregationTest} with the state in RocksDB. */
class RocksDbWindowedAggregationTest extends WindowedAggregationTest {
  @TempDir Path local;

  @Override
  StateStoreSettings stateSettings() {
    return RocksDbStreamingAggregationTest.rocksDb(local);
  }
}
