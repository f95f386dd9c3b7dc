package dev.streamloop.runner;

/** The runner's exit codes (docs/architecture.md, runner contract), which the operator acts on. */
public final class ExitCodes {
  /** Done: available-now finished, or stopped on request. */
  public static final int OK = 0;

  /** The query failed; retrying may help (a sink was down, a bad record under Fail...). */
  public static final int FAILED = 1;

  /** Invalid spec or unusable checkpoint: retrying cannot help until something changes. */
  public static final int INVALID = 2;

  private ExitCodes() {}
}
