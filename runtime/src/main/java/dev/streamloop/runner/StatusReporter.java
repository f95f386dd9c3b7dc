package dev.streamloop.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.RunnerStart;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.engine.ProgressListener;
import dev.streamloop.engine.StreamingQueryProgress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the runner's progress into its StreamingQuery's status (docs/architecture.md, runner
 * contract): a merge patch of {@code status.progress.<replica>} only, at the first progress, then
 * at most once per interval (the newest progress wins; one is never left unwritten), and at once
 * when the loop ends. Only batches replace the entry; progress without a batch (idle, retrying)
 * updates its message. The patches run on a thread of their own, so the loop never waits for the
 * API server, and a failed patch is logged and retried with the next one: status is for people, not
 * for correctness.
 */
final class StatusReporter implements ProgressListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<KubernetesClient> connect;
  private KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String replica;
  private final long intervalMs;
  private final ObjectNode start;
  private final ScheduledThreadPoolExecutor writer =
      new ScheduledThreadPoolExecutor(
          1,
          r -> {
            Thread thread = new Thread(r, "status-reporter");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicReference<Pending> pending = new AtomicReference<>();
  private long lastWriteMs = Long.MIN_VALUE / 2;
  private ScheduledFuture<?> scheduled;
  private boolean warned;

  /**
   * @param connect Makes the client, on the reporter's thread when it first writes, so that the
   *     runner's start does not wait for it.
   */
  StatusReporter(
      Supplier<KubernetesClient> connect,
      String namespace,
      String name,
      int replica,
      long intervalMs,
      RunnerStart start) {
    this.connect = connect;
    this.start = start == null ? null : JSON.valueToTree(start);
    // a delayed write is cancelled by close(), which writes at once instead
    writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.namespace = namespace;
    this.name = name;
    this.replica = Integer.toString(replica);
    this.intervalMs = intervalMs;
  }

  /**
   * What waits to be written: the newest batch (null: none since the last write) and the newest
   * message. Kept as the engine's objects; most are replaced before a write, so they are turned
   * into JSON only on the writer's thread, never on the loop's.
   */
  private record Pending(StreamingQueryProgress batch, String message) {
    /** {@code newer} replaces this, but keeps this batch when it brings only a message. */
    Pending then(Pending newer) {
      return newer.batch != null ? newer : new Pending(batch, newer.message);
    }

    ObjectNode entry(ObjectNode start) {
      ObjectNode entry =
          batch != null
              ? JSON.valueToTree(JSON.convertValue(batch, QueryProgress.class))
              : JSON.createObjectNode();
      entry.put("message", message);
      if (start != null) {
        entry.set("runner", start);
      }
      return entry;
    }
  }

  @Override
  public void onProgress(StreamingQueryProgress progress) {
    Pending newest = new Pending(progress.ranBatch() ? progress : null, progress.message());
    pending.accumulateAndGet(newest, (current, n) -> current == null ? n : current.then(n));
    schedule();
  }

  private synchronized void schedule() {
    if (scheduled != null && !scheduled.isDone()) {
      return; // the pending write takes the newest progress when it runs
    }
    long delay = Math.max(0, lastWriteMs + intervalMs - System.currentTimeMillis());
    scheduled = writer.schedule(this::write, delay, TimeUnit.MILLISECONDS);
  }

  private void write() {
    Pending written = pending.getAndSet(null);
    if (written == null) {
      return;
    }
    synchronized (this) {
      lastWriteMs = System.currentTimeMillis();
    }
    try {
      if (client == null) {
        client = connect.get();
      }
      patch(written.entry(start));
      warned = false;
    } catch (RuntimeException e) {
      pending.accumulateAndGet(
          written, (current, failed) -> current == null ? failed : failed.then(current));
      if (!warned) {
        LOG.warn(
            "cannot write progress into {}/{}'s status (will retry): {}",
            namespace,
            name,
            e.getMessage());
        warned = true;
      }
    }
  }

  /**
   * A JSON patch that replaces this runner's entry (or, without a batch, only its message), and a
   * merge patch when the status has no progress map yet (the JSON patch's path does not exist). Not
   * a merge patch every time: it would keep the keys of older batches inside the entry.
   */
  private void patch(ObjectNode entry) {
    // a resource with only its name: patching by name alone makes the client GET it first
    StreamingQuery target = new StreamingQuery();
    target.getMetadata().setNamespace(namespace);
    target.getMetadata().setName(name);
    var status = client.resource(target).subresource("status");
    var ops = JSON.createArrayNode();
    String path = "/status/progress/" + replica;
    if (entry.has("batchId")) {
      ops.addObject().put("op", "add").put("path", path).set("value", entry);
    } else {
      // a new start (a new generation) says so before its first batch
      for (String field : new String[] {"message", "runner"}) {
        if (entry.has(field)) {
          ops.addObject()
              .put("op", "add")
              .put("path", path + "/" + field)
              .set("value", entry.get(field));
        }
      }
    }
    try {
      status.patch(PatchContext.of(PatchType.JSON), ops.toString());
    } catch (KubernetesClientException e) {
      ObjectNode merge = JSON.createObjectNode();
      merge.putObject("status").putObject("progress").set(replica, entry);
      status.patch(PatchContext.of(PatchType.JSON_MERGE), merge.toString());
    }
  }

  @Override
  public void onTerminated(Throwable error) {
    close();
  }

  /** Writes what is pending, waiting up to 5 s: the last progress matters most. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (writer.awaitTermination(5, TimeUnit.SECONDS)) {
        write(); // a write cancelled by the shutdown, or progress newer than the last
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (client != null) {
        client.close();
      }
    }
  }
}
