package dev.streamloop.e2e.cluster;

import dev.streamloop.controlplane.ChildProcesses;
import dev.streamloop.controlplane.ControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one node's kubelet, as its own identity ({@code system:node:local}, which the Node authorizer
 * and the NodeRestriction admission plugin hold to its own pods): it watches the pods bound to its
 * node, runs each one's (first) container as a local process ({@link ContainerRun}), and patches
 * what happens into the pod's status. A pod that is being deleted (it has a deletion timestamp: the
 * API server keeps it until the kubelet is done) gets SIGTERM, then SIGKILL when its grace period
 * is over; once its process has ended, the kubelet deletes it for good, which is what lets the
 * StatefulSet controller create its successor. Registering the Node and renewing its Lease is
 * {@link NodeStatus}'s part.
 */
final class Kubelet implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Kubelet.class.getName());
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /**
   * The kubelet's settings: restarts back off from {@code backoff}, doubling to {@code backoffCap}.
   *
   * @param client The node's identity.
   */
  record Settings(
      Path dir,
      KubernetesClient client,
      Images images,
      int apiServerPort,
      ChildProcesses processes,
      Duration backoff,
      Duration backoffCap) {}

  private final Settings settings;
  private final SharedIndexInformer<Pod> pods;
  private final Map<String, ContainerRun> runs = new ConcurrentHashMap<>();
  private final List<ContainerRun> stopping = new ArrayList<>();
  private final Map<String, PodStatus> written = new HashMap<>();
  private volatile boolean shuttingDown;

  Kubelet(Settings settings) {
    this.settings = settings;
    this.pods =
        settings
            .client()
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", ControlPlane.NODE)
            .inform();
  }

  /** One pass: start new pods, tick running ones, stop deleted ones, write changed statuses. */
  synchronized void reconcile() {
    if (shuttingDown) {
      return;
    }
    Instant now = Instant.now();
    Set<String> present = new HashSet<>();
    for (Pod pod : pods.getStore().list()) {
      String uid = pod.getMetadata().getUid();
      present.add(uid);
      ContainerRun run = runs.get(uid);
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        terminate(pod, run);
        continue;
      }
      if (run == null) {
        if (pod.getStatus() != null
            && List.of("Succeeded", "Failed").contains(pod.getStatus().getPhase())) {
          continue; // ended before this kubelet started
        }
        run = new ContainerRun(pod, settings);
        runs.put(uid, run);
      }
      run.tick(now);
      write(pod, run.status());
    }
    for (var it = runs.entrySet().iterator(); it.hasNext(); ) {
      ContainerRun run = it.next().getValue();
      if (!present.contains(run.uid())) { // deleted at once (force, or a finished pod)
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

  /** A pod being deleted: stop its container within the grace, then remove the pod for good. */
  private void terminate(Pod pod, ContainerRun run) {
    if (run != null && !run.stopping()) {
      Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
      run.stop(Duration.ofSeconds(grace == null ? run.grace() : grace));
    }
    if (run != null) {
      run.tick(Instant.now());
      if (!run.stopped()) {
        return;
      }
      run.deleteFiles();
      runs.remove(run.uid());
      written.remove(run.uid());
    }
    try {
      settings
          .client()
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    } catch (KubernetesClientException e) {
      LOG.log(Level.FINE, "deleting a terminated pod failed; retrying", e);
    }
  }

  private void write(Pod pod, PodStatus status) {
    String uid = pod.getMetadata().getUid();
    if (status.equals(written.get(uid))) {
      return;
    }
    try {
      settings
          .client()
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.asJson(Map.of("status", status)));
      written.put(uid, status);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** The process id of pod {@code namespace/name}'s running container, for fault injection. */
  Optional<Long> pid(String namespace, String name) {
    return runs.values().stream()
        .filter(
            r ->
                r.pod().getMetadata().getNamespace().equals(namespace)
                    && r.pod().getMetadata().getName().equals(name))
        .map(ContainerRun::pid)
        .filter(p -> p != null)
        .findFirst();
  }

  /** The log of pod {@code namespace/name}'s container, if the pod ran here. */
  Optional<Path> log(String namespace, String name) {
    return runs.values().stream()
        .filter(
            r ->
                r.pod().getMetadata().getNamespace().equals(namespace)
                    && r.pod().getMetadata().getName().equals(name))
        .map(ContainerRun::log)
        .filter(p -> p != null)
        .findFirst();
  }

  /**
   * Stops every process (SIGTERM, then SIGKILL after at most {@code grace}) and waits for them, as
   * a node that shuts down.
   */
  void shutdown(Duration grace) {
    List<ContainerRun> all;
    synchronized (this) {
      shuttingDown = true;
      all = new ArrayList<>(runs.values());
      all.addAll(stopping);
    }
    pods.close();
    all.forEach(run -> run.stop(grace));
    Instant deadline = Instant.now().plus(grace);
    for (ContainerRun run : all) {
      run.awaitStop(deadline);
      run.deleteFiles();
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(30));
  }
}
