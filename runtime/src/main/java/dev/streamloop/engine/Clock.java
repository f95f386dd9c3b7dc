package dev.streamloop.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * Time for the loop: the system clock in production, a manual clock in tests, so that trigger
 * timing is tested without sleeping.
 */
public interface Clock {
  long millis();

  /**
   * Waits until {@code deadlineMillis}, or until {@code wakeUp} is signalled (a stop request). The
   * caller holds the lock of {@code wakeUp}.
   */
  void waitUntil(long deadlineMillis, Condition wakeUp) throws InterruptedException;

  /** The wall clock. */
  Clock SYSTEM =
      new Clock() {
        @Override
        public long millis() {
          return System.currentTimeMillis();
        }

        @Override
        public void waitUntil(long deadlineMillis, Condition wakeUp) throws InterruptedException {
          long waitMs = deadlineMillis - millis();
          if (waitMs > 0) {
            wakeUp.await(waitMs, TimeUnit.MILLISECONDS);
          }
        }
      };
}
