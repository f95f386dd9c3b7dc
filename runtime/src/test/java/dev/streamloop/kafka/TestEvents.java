package dev.streamloop.kafka;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON events of the Kafka tests (runtime and e2e): id, an event time 10 ms apart, one of three
 * countries in turn, and n = id % 7, so that expected counts and sums follow from the ids.
 */
public final class TestEvents {
  public static final String[] COUNTRIES = {"DE", "FR", "US"};

  private TestEvents() {}

  /** Events id from..to-1. */
  public static List<String> events(int from, int to) {
    List<String> values = new ArrayList<>();
    for (int id = from; id < to; id++) {
      values.add(
          "{\"id\":%d,\"ts\":%d,\"country\":\"%s\",\"n\":%d}"
              .formatted(id, id * 10L, COUNTRIES[id % 3], id % 7));
    }
    return values;
  }
}
