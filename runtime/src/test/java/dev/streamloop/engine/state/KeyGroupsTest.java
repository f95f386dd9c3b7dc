package dev.streamloop.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A key's group is the same whether the key comes as values (the heap store, at each commit) or as
 * the bytes the RocksDB store writes: a checkpoint moved between the stores finds every key.
 */
class KeyGroupsTest {
  @Test
  void aKeysGroupIsTheSameFromItsValuesAndFromItsBytes() {
    KeyGroups groups = new KeyGroups(64);
    List<List<Object>> keys =
        List.of(
            List.of("u1", 5L),
            Arrays.asList("L", null, "DE"),
            List.of(1.5, true, new BigDecimal("12.30")),
            List.of("x".repeat(1000), 7)); // longer than the encoder's first buffer
    for (List<Object> key : keys) {
      assertThat(groups.of(key)).as(key.toString()).isEqualTo(groups.of(StateCodec.encode(key)));
    }
    // pinned: the groups the release before the reused encoder gave these keys
    assertThat(groups.of(List.of("u1", 5L))).isEqualTo(63);
    assertThat(groups.of(List.of("x".repeat(1000), 7))).isEqualTo(10);
  }
}
