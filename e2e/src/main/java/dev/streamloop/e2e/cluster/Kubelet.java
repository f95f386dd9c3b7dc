package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one node's kubelet: runs each pod's (first) container as a local process ({@link
 * ContainerRun}) and writes what happens into the pod's status. A deleted pod's process gets
 * SIGTERM, then SIGKILL when its termination grace period is over. The API server removes a deleted
 * pod at once (no deletionTimestamp), so {@link #isStopping} tells the StatefulSet controller that
 * a pod of that name is still stopping, which a real API server says by keeping the object until
 * the kubelet is done.
 */
public final class Kubelet {
  /**
   * The kubelet's settings: restarts back off from {@code backoff}, doubling to {@code backoffCap}.
   */
  record Settings(
      Path dir,
      KubernetesClient client,
      Path runnerLib,
      String apiServerUrl,
      Duration backoff,
      Duration backoffCap) {}

  private final Settings settings;
  private final Map<String, ContainerRun> runs = new ConcurrentHashMap<>();
  private final List<ContainerRun> stopping = new ArrayList<>();
  private final Map<String, PodStatus> written = new HashMap<>();
  private volatile boolean shuttingDown;

  Kubelet(Settings settings) {
    this.settings = settings;
  }

  /** One pass: start new pods, tick running ones, stop deleted ones, write changed statuses. */
  synchronized void reconcile() {
    if (shuttingDown) {
      return;
    }
    Instant now = Instant.now();
    List<Pod> pods = settings.client().pods().inAnyNamespace().list().getItems();
    Set<String> present = new HashSet<>();
    for (Pod pod : pods) {
      String uid = pod.getMetadata().getUid();
      present.add(uid);
      ContainerRun run = runs.get(uid);
      if (run == null) {
        if (pod.getStatus() != null
            && List.of("Succeeded", "Failed").contains(pod.getStatus().getPhase())) {
          continue; // ended before this kubelet started
        }
        if (pod.getSpec().getContainers() == null || pod.getSpec().getContainers().isEmpty()) {
          continue;
        }
        run = new ContainerRun(pod, settings);
        runs.put(uid, run);
      }
      run.tick(now);
      write(pod, run.status());
    }
    for (var it = runs.entrySet().iterator(); it.hasNext(); ) {
      ContainerRun run = it.next().getValue();
      if (!present.contains(run.uid())) {
        it.remove();
        written.remove(run.uid());
        run.stop(Duration.ofSeconds(run.grace()));
        stopping.add(run);
      }
    }
    for (var it = stopping.iterator(); it.hasNext(); ) {
      ContainerRun run = it.next();
      run.tick(now);
      if (run.stopped()) {
        run.deleteFiles();
        it.remove();
      }
    }
  }

  private void write(Pod pod, PodStatus status) {
    String uid = pod.getMetadata().getUid();
    if (!status.equals(written.get(uid)) && !status.equals(pod.getStatus())) {
      pod.setStatus(status);
      Owners.writeStatus(settings.client(), pod);
    }
    written.put(uid, status);
  }

  /** True while a process of a deleted pod named {@code namespace/name} has not ended. */
  synchronized boolean isStopping(String namespace, String name) {
    return stopping.stream()
        .anyMatch(
            r ->
                r.pod().getMetadata().getNamespace().equals(namespace)
                    && r.pod().getMetadata().getName().equals(name));
  }

  /** The process id of pod {@code namespace/name}'s running container, for fault injection. */
  public Optional<Long> pid(String namespace, String name) {
    return runs.values().stream()
        .filter(
            r ->
                r.pod().getMetadata().getNamespace().equals(namespace)
                    && r.pod().getMetadata().getName().equals(name))
        .map(ContainerRun::pid)
        .filter(p -> p != null)
        .findFirst();
  }

  /** Stops every process (SIGTERM, then SIGKILL after at most {@code grace}) and waits for them. */
  void shutdown(Duration grace) {
    List<ContainerRun> all;
    synchronized (this) {
      shuttingDown = true;
      all = new ArrayList<>(runs.values());
      all.addAll(stopping);
    }
    all.forEach(run -> run.stop(grace));
    Instant deadline = Instant.now().plus(grace);
    for (ContainerRun run : all) {
      run.awaitStop(deadline);
      run.deleteFiles();
    }
  }
}
