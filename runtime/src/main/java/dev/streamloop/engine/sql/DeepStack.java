package dev.streamloop.engine.sql;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs the SQL compiler on a thread of its own with a deep stack: Calcite parses, validates, plans
 * and generates code by recursion, and how deep a query may nest must not depend on the stack of
 * whichever thread compiles it (the runner's main thread, the validate command's). The stack is
 * reserved, not used: a shallow query touches little of it.
 */
final class DeepStack {
  /** Enough for every query {@link QueryShape} admits, with a wide margin. */
  static final long STACK_BYTES = 256L << 20;

  /** What the compiler does. */
  interface Compilation<T> {
    T run() throws SqlCompileException;
  }

  private DeepStack() {}

  static <T> T call(Compilation<T> compilation) throws SqlCompileException {
    FutureTask<T> task = new FutureTask<>((Callable<T>) compilation::run);
    Thread thread = new Thread(null, task, "sql-compiler", STACK_BYTES);
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get();
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compiling the query", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SqlCompileException compile) {
        throw compile;
      }
      if (cause instanceof StackOverflowError) {
        throw new SqlCompileException(
            "the query is too long or nests too deeply for the planner: simplify it, or split it"
                + " into several queries",
            0,
            0,
            null);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }
}
