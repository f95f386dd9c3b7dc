package dev.streamloop.engine.state;

import dev.streamloop.engine.state.rocksdb.RocksDbMemory;
import java.nio.file.Path;

/**
 * How a query keeps its state: the stateful operator's id and key groups (from the checkpoint's
 * manifest), the store (from the spec), and for RocksDB where its working files go and how much
 * memory it may take.
 *
 * @param operatorId The stateful operator's id: its state lives in {@code state/<id>}.
 * @param kind The store.
 * @param keyGroups The checkpoint's key groups.
 * @param localRoot The runner's local volume for working files (RocksDB's databases).
 * @param memory RocksDB's memory budget.
 */
public record StateStoreSettings(
    int operatorId, Kind kind, KeyGroups keyGroups, Path localRoot, RocksDbMemory memory) {

  /** The stores, by their name in spec.state.store. */
  public enum Kind {
    HEAP("heap"),
    ROCKSDB("rocksdb");

    private final String specName;

    Kind(String specName) {
      this.specName = specName;
    }

    /** The name spec.state.store and the checkpoint's manifest use. */
    public String specName() {
      return specName;
    }

    /** The kind named {@code name} in a spec or manifest. */
    public static Kind named(String name) {
      for (Kind kind : values()) {
        if (kind.specName.equals(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown state store '" + name + "': heap or rocksdb");
    }
  }

  /** Heap state with the default key groups: what tests and tools without a spec use. */
  public static StateStoreSettings heap() {
    return new StateStoreSettings(
        0,
        Kind.HEAP,
        new KeyGroups(KeyGroups.DEFAULT_COUNT),
        Path.of(System.getProperty("java.io.tmpdir"), "streamloop-state"),
        RocksDbMemory.forLimit(256L << 20));
  }

  /** These settings with another store. */
  public StateStoreSettings withKind(Kind other) {
    return new StateStoreSettings(operatorId, other, keyGroups, localRoot, memory);
  }
}
