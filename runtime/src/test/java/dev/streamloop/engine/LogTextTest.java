package dev.streamloop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text from files and records cannot forge a log line or reach a terminal as escape codes. */
class LogTextTest {
  @Test
  void controlCharactersAreWrittenAsEscapes() {
    String forged = "evil\nquery stopped after 1 ms: 0 batches (FAKE)\r\u001b[31mRED\u0007.json";

    String escaped = LogText.escape(forged);

    assertThat(escaped)
        .isEqualTo("evil\\nquery stopped after 1 ms: 0 batches (FAKE)\\r\\u001b[31mRED\\u0007.json")
        .doesNotContain("\n", "\r", "\u001b");
  }

  @Test
  void plainTextIsKeptAsItIs() {
    String plain = "/data/in/orders-2026-12-07 (copy).json";

    assertThat(LogText.escape(plain)).isSameAs(plain);
    assertThat(LogText.escape("Grüße, 東京")).isEqualTo("Grüße, 東京");
  }
}
