package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The operator as the install manifests run it: the pod of Deployment {@value #DEPLOYMENT} in
 * {@value #NAMESPACE}, run by the local cluster's kubelet (the packaged Quarkus application, as its
 * own ServiceAccount under the manifests' ClusterRole).
 */
public final class Operator {
  public static final String NAMESPACE = "streamloop-system";
  public static final String DEPLOYMENT = "streamloop-operator";

  private final LocalCluster cluster;

  Operator(LocalCluster cluster) {
    this.cluster = cluster;
  }

  /** The operator's running pod, if it has one. */
  public Optional<Pod> pod() {
    return cluster
        .client()
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel("app.kubernetes.io/name", DEPLOYMENT)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .findFirst();
  }

  /** The process id of the operator's container, if it runs. */
  public Optional<Long> pid() {
    return pod().flatMap(p -> cluster.pid(NAMESPACE, p.getMetadata().getName()));
  }

  /** Whether the operator's pod is Ready (its readiness probe passes). */
  public boolean ready() {
    return pod()
        .map(
            p ->
                p.getStatus() != null
                    && p.getStatus().getConditions() != null
                    && p.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .orElse(false);
  }

  /** The container's restart count. */
  public int restarts() {
    return pod()
        .map(Pod::getStatus)
        .map(s -> s.getContainerStatuses())
        .filter(list -> !list.isEmpty())
        .map(list -> list.get(0).getRestartCount())
        .orElse(0);
  }

  /** The operator's log file on this machine. */
  public Optional<Path> log() {
    return pod().flatMap(p -> cluster.log(NAMESPACE, p.getMetadata().getName()));
  }

  /** The last lines of the operator's log, for error messages. */
  public Optional<String> logTail() {
    return log()
        .filter(Files::exists)
        .map(
            file -> {
              try {
                List<String> lines = Files.readAllLines(file);
                return String.join(
                    "\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }
}
