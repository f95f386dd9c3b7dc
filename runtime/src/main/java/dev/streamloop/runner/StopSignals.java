package dev.streamloop.runner;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT, handled from the runner's first moment: a stop asked for during start-up (the
 * pod deleted while the runner reads its checkpoint) is kept and acted on as soon as the loop
 * exists, so the runner still ends with exit code 0 and a termination message instead of the JVM's
 * 143 and nothing.
 */
final class StopSignals {
  private final AtomicBoolean requested = new AtomicBoolean();
  private volatile Runnable action;

  private StopSignals() {}

  static StopSignals install() {
    StopSignals signals = new StopSignals();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> signals.request());
    }
    return signals;
  }

  private void request() {
    requested.set(true);
    Runnable stop = action;
    if (stop != null) {
      stop.run();
    }
  }

  /** Whether a stop was asked for. */
  boolean requested() {
    return requested.get();
  }

  /** Runs {@code stop} on the next signal, or now if one came already. */
  void onStop(Runnable stop) {
    action = stop;
    if (requested.get()) {
      stop.run();
    }
  }
}
