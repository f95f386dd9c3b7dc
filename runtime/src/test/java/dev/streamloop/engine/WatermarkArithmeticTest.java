package dev.streamloop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WatermarkArithmeticTest {
  @Test
  void eventTimeMinusDelaySaturatesInsteadOfWrapping() {
    assertThat(WatermarkTracker.minus(1_000, 10)).isEqualTo(990);
    // Long.MIN_VALUE + 800 minus a 10 s delay wrapped to the year 292 million
    assertThat(WatermarkTracker.minus(Long.MIN_VALUE + 800, 10_000)).isEqualTo(Long.MIN_VALUE);
    assertThat(WatermarkTracker.minus(Long.MAX_VALUE - 5, -10)).isEqualTo(Long.MAX_VALUE);
  }
}
