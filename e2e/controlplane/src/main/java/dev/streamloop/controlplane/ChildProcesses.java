package dev.streamloop.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts the processes a harness runs (etcd, the API server, pods' containers) so that they end
 * with the JVM that started them, however it ends: each one runs under util-linux's {@code setpriv
 * --pdeathsig KILL}, so the kernel kills it when its parent goes, even by SIGKILL (a test JVM that
 * surefire kills, a Ctrl-C'd build). The kernel ties that signal to the thread that forked the
 * child, so every process is forked from one thread that lives until {@link #close()}.
 */
public final class ChildProcesses implements AutoCloseable {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private final ExecutorService forker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "child-processes");
            thread.setDaemon(true);
            return thread;
          });

  /** Starts {@code builder}'s command, wrapped so that it dies with this JVM. */
  public Process start(ProcessBuilder builder) {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETPRIV)) {
      command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
    }
    command.addAll(builder.command());
    builder.command(command);
    try {
      return forker.submit(builder::start).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException("cannot start " + command, io);
      }
      throw new IllegalStateException("cannot start " + command, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + command, e);
    }
  }

  /** Ends the forking thread; call once the processes it started have ended. */
  @Override
  public void close() {
    forker.shutdown();
  }
}
