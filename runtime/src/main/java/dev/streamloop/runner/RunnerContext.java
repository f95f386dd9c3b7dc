package dev.streamloop.runner;

import dev.streamloop.engine.Clock;
import dev.streamloop.engine.Share;
import dev.streamloop.engine.checkpoint.Checkpoint;
import java.io.PrintStream;

/**
 * Where a runner runs: its checkpoint (and the query id in it), its clock, where console sinks
 * print, its share of the sources, and the mounted Secrets.
 */
record RunnerContext(
    Checkpoint checkpoint,
    Clock clock,
    PrintStream console,
    Share share,
    SecretFiles secrets,
    LocalPaths paths) {
  String queryId() {
    return checkpoint.queryId();
  }
}
