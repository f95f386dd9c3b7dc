package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.Durations;
import dev.streamloop.api.v1alpha1.RunnerStart;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.engine.Clock;
import dev.streamloop.engine.MicroBatchExecution;
import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.QueryDefinition;
import dev.streamloop.engine.RecentProgress;
import dev.streamloop.engine.Share;
import dev.streamloop.engine.SinkTargetException;
import dev.streamloop.engine.StreamingQueryProgress;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.CheckpointInUseException;
import dev.streamloop.engine.checkpoint.CheckpointLock;
import dev.streamloop.engine.checkpoint.CheckpointReset;
import dev.streamloop.engine.checkpoint.FileCheckpoint;
import dev.streamloop.engine.state.StateTooLargeException;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs one StreamingQuery until it is stopped (SIGTERM, Ctrl-C) or, for available-now, until it has
 * processed what was available at start. Exit codes: 0 done, 1 failed, 2 invalid query or unusable
 * checkpoint.
 */
@Command(name = "run", description = "Run a StreamingQuery document locally.")
final class RunCommand implements Callable<Integer> {
  @Option(
      names = "--query",
      required = true,
      paramLabel = "FILE",
      description = "StreamingQuery YAML.")
  Path queryFile;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      description = "Checkpoint directory (default: checkpoints/<query name>).")
  Path checkpointDir;

  @Option(
      names = "--http-port",
      defaultValue = "-1",
      description = "Port for /progress, /healthz, /readyz and /metrics (-1: none, 0: any).")
  int httpPort;

  @Option(
      names = "--termination-log",
      defaultValue = "${env:STREAMLOOP_TERMINATION_LOG}",
      description = "File for the reason the runner ended (in Kubernetes: /dev/termination-log).")
  Path terminationLogFile;

  @Option(
      names = "--replica-index",
      defaultValue = "${env:STREAMLOOP_REPLICA_INDEX:-0}",
      description = "This runner's index among the query's runners (spec.parallelism).")
  int replicaIndex;

  @Option(
      names = "--replica-count",
      defaultValue = "${env:STREAMLOOP_REPLICA_COUNT:-1}",
      description = "How many runners share the query's sources.")
  int replicaCount;

  @Option(
      names = "--secrets-dir",
      defaultValue = "${env:STREAMLOOP_SECRETS_DIR:-/etc/streamloop/secrets}",
      description =
          "Where the query's Secrets are mounted: key K of Secret S is the file <dir>/S/K.")
  Path secretsDir;

  @Option(
      names = "--status-interval",
      defaultValue = "${env:STREAMLOOP_STATUS_INTERVAL:-10s}",
      description =
          "How often, at most, the runner writes its progress into its StreamingQuery's status"
              + " (when STREAMLOOP_QUERY_NAMESPACE and STREAMLOOP_QUERY_NAME name it, as in pods).")
  String statusInterval;

  @Option(
      names = "--mount",
      paramLabel = "PATH=DIR",
      description =
          "Runs a query written for a pod without one: the spec's paths under PATH (a volume's"
              + " mountPath) are read and written under DIR on this machine. Repeatable.")
  java.util.List<String> mounts = new java.util.ArrayList<>();

  @Option(
      names = "--reset-checkpoint",
      paramLabel = "SCOPE@GENERATION",
      defaultValue = "${env:STREAMLOOP_CHECKPOINT_RESET}",
      description =
          "state@G or all@G: before the first start of generation G, move the checkpoint's state"
              + " (or all of it) aside, as an incompatible edit under spec.evolution asks.")
  String resetCheckpoint;

  @Option(
      names = "--rewind",
      paramLabel = "NONCE:FROM[:ARG]",
      defaultValue = "${env:STREAMLOOP_REWIND}",
      description =
          "Replay into the same sinks, once per NONCE: NONCE:earliest, NONCE:timestamp:TIME or"
              + " NONCE:batch:ID (spec.rewind).")
  String rewindText;

  /** Held while the runner runs; the kernel releases it when the process ends. */
  private CheckpointLock lock;

  @Override
  public Integer call() {
    TerminationLog terminationLog = new TerminationLog(terminationLogFile);
    Epitaph epitaph = new Epitaph(terminationLog);
    epitaph.atStart();
    StopSignals signals = StopSignals.install();
    MicroBatchExecution execution;
    RecentProgress recent = new RecentProgress(100);
    RunSummary summary = new RunSummary();
    RetryStatus retry = new RetryStatus();
    AtomicBoolean failed = new AtomicBoolean();
    ProgressListener failure =
        new ProgressListener() {
          @Override
          public void onTerminated(Throwable error) {
            failed.set(error != null);
          }
        };
    RunnerMetrics metrics;
    try {
      StreamingQuery query = QueryFiles.load(queryFile);
      Path dir =
          checkpointDir != null
              ? checkpointDir
              : Path.of("checkpoints", query.getMetadata().getName());
      // before anything reads or cleans the checkpoint or the sinks' directories
      lock = CheckpointLock.acquire(dir);
      Optional<CheckpointReset> reset = CheckpointReset.parse(resetCheckpoint);
      if (reset.isPresent() && reset.get().applyTo(dir)) {
        System.err.println(
            "generation "
                + reset.get().generation()
                + " starts with its checkpoint reset: the old "
                + (reset.get().scope() == CheckpointReset.Scope.ALL ? "checkpoint" : "state")
                + " is in "
                + reset.get().aside(dir));
      }
      Checkpoint checkpoint = FileCheckpoint.open(dir);
      QueryDefinition definition =
          QueryAssembler.assemble(
              query,
              new RunnerContext(
                  checkpoint,
                  Clock.SYSTEM,
                  System.out,
                  new Share(replicaIndex, replicaCount),
                  new SecretFiles(secretsDir),
                  LocalPaths.fromEnv().with(mounts)));
      Rewind rewind = rewindText == null || rewindText.isBlank() ? null : Rewind.parse(rewindText);
      if (rewind != null) {
        long batch = rewind.applyTo(dir, checkpoint, definition);
        if (batch >= 0) {
          System.err.println("rewind " + rewind + " recorded as batch " + batch);
        }
      }
      RunnerStart start =
          RunnerStarts.of(
              query, definition, checkpoint, rewind != null && rewind.done(dir) ? rewind : null);
      // Metrics are served over HTTP only; without a port, skip their start-up cost.
      metrics = httpPort >= 0 ? new RunnerMetrics(definition.name(), definition.trigger()) : null;
      execution =
          new MicroBatchExecution(
              definition,
              checkpoint,
              Clock.SYSTEM,
              metrics != null
                  ? listeners(
                      epitaph,
                      recent,
                      summary,
                      failure,
                      retry,
                      metrics,
                      new ProgressLog(),
                      status(start))
                  : listeners(
                      epitaph, recent, summary, failure, retry, new ProgressLog(), status(start)));
    } catch (CheckpointInUseException | SourcePathNotFoundException e) {
      // retryable: the other runner may be one that is ending; the directory may appear
      System.err.println(e.getMessage());
      terminationLog.write(e.getMessage());
      return ExitCodes.FAILED;
    } catch (InvalidQueryException e) {
      e.errors().forEach(error -> System.err.println(queryFile + ": " + error));
      terminationLog.write("invalid StreamingQuery:\n" + e.getMessage());
      return ExitCodes.INVALID;
    } catch (CheckpointException e) {
      System.err.println(e.getMessage());
      terminationLog.write(e.getMessage());
      return ExitCodes.INVALID;
    } catch (RuntimeException e) {
      System.err.println("cannot start the query: " + e.getMessage());
      terminationLog.write("cannot start the query: " + e.getMessage());
      return ExitCodes.INVALID;
    }

    AtomicBoolean started = new AtomicBoolean();
    // a stop asked for during start-up stops the loop before its first batch
    signals.onStop(execution::stop);
    try (RunnerHttpServer http =
        httpPort >= 0
            ? new RunnerHttpServer(
                httpPort, recent, metrics::scrape, () -> !failed.get(), started::get, retry::reason)
            : null) {
      if (http != null) {
        System.err.println("serving /progress, /healthz, /readyz, /metrics on port " + http.port());
      }
      started.set(true);
      execution.run();
      terminationLog.write(summary.message("stopped"));
      return ExitCodes.OK;
    } catch (CheckpointException | StateTooLargeException | SinkTargetException e) {
      System.err.println(e.getMessage());
      terminationLog.write(e.getMessage());
      return ExitCodes.INVALID;
    } catch (Exception e) {
      System.err.println("query failed: " + e);
      // the cause first: the kubelet keeps 4 KiB, and RunSummary's last line is short
      // the exception's class first, as Spark's StreamingQueryException names it
      terminationLog.write(
          summary.message("query failed: " + e.getClass().getName() + ": " + e.getMessage()));
      return ExitCodes.FAILED;
    }
  }

  /** The status reporter when the runner knows its StreamingQuery (in a pod), else nothing. */
  private ProgressListener status(RunnerStart start) {
    String namespace = System.getenv("STREAMLOOP_QUERY_NAMESPACE");
    String name = System.getenv("STREAMLOOP_QUERY_NAME");
    if (namespace == null || name == null) {
      return new ProgressListener() {};
    }
    return new StatusReporter(
        () -> new KubernetesClientBuilder().build(),
        namespace,
        name,
        replicaIndex,
        Durations.toMillis(statusInterval),
        start);
  }

  private static ProgressListener listeners(ProgressListener... all) {
    return new ProgressListener() {
      @Override
      public void onStarted(String queryId, String runId) {
        for (ProgressListener l : all) {
          l.onStarted(queryId, runId);
        }
      }

      @Override
      public void onProgress(StreamingQueryProgress progress) {
        for (ProgressListener l : all) {
          l.onProgress(progress);
        }
      }

      @Override
      public void onRetry(long batchId, String reason, int attempt, long delayMs) {
        for (ProgressListener l : all) {
          l.onRetry(batchId, reason, attempt, delayMs);
        }
      }

      @Override
      public void onTerminated(Throwable error) {
        for (ProgressListener l : all) {
          l.onTerminated(error);
        }
      }
    };
  }
}
