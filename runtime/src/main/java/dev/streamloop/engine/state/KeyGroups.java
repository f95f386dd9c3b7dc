package dev.streamloop.engine.state;

import com.google.common.hash.Hashing;
import java.util.List;

/**
 * The key groups of a checkpoint's state: a fixed count, chosen when the checkpoint is created and
 * recorded in its manifest, and a key's group as a stable hash of the key's encoded values (murmur3
 * over {@link StateCodec}'s bytes, the same in every JVM and release), so that a later runner finds
 * each key in the group an earlier one put it.
 *
 * @param count How many key groups there are.
 */
public record KeyGroups(int count) {
  /** The count for a new checkpoint when the spec does not choose one. */
  public static final int DEFAULT_COUNT = 64;

  /** The most key groups: a group id takes two bytes in a RocksDB key. */
  public static final int MAX_COUNT = 32768;

  public KeyGroups {
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("key groups must be 1 to " + MAX_COUNT + ", not " + count);
    }
  }

  /** The key group of {@code key}. */
  public int of(List<Object> key) {
    return Math.floorMod(StateCodec.murmur3(key), count);
  }

  /** The key group of a key already encoded by {@link StateCodec#encode(List)}. */
  public int of(byte[] encodedKey) {
    return Math.floorMod(Hashing.murmur3_32_fixed().hashBytes(encodedKey).asInt(), count);
  }
}
