package dev.streamloop.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;

/** Simulated time: waiting jumps to the deadline at once and is recorded. */
public final class ManualClock implements Clock {
  private long now;
  private final List<Long> waits = new ArrayList<>();
  private Runnable afterWait = () -> {};
  private int spuriousWakeUps;

  public ManualClock(long start) {
    this.now = start;
  }

  @Override
  public synchronized long millis() {
    return now;
  }

  public synchronized void advance(long millis) {
    now += millis;
  }

  @Override
  public synchronized void waitUntil(long deadlineMillis, Condition wakeUp) {
    waits.add(deadlineMillis - now);
    if (spuriousWakeUps > 0 && deadlineMillis > now) {
      spuriousWakeUps--;
      now += (deadlineMillis - now) / 2; // woke up half way, as Condition.await may
    } else {
      now = Math.max(now, deadlineMillis);
    }
    afterWait.run();
  }

  /** The next {@code count} waits end half way to their deadline. */
  public synchronized void spuriousWakeUps(int count) {
    this.spuriousWakeUps = count;
  }

  /** Runs {@code hook} after every wait (for example, to stop the loop after n waits). */
  public synchronized void afterWait(Runnable hook) {
    this.afterWait = hook;
  }

  /** How long each wait was, in order. */
  public synchronized List<Long> waits() {
    return List.copyOf(waits);
  }
}
