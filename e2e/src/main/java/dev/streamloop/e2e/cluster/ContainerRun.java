package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One pod's container on this machine: its process, its restarts under the pod's restart policy
 * (with the kubelet's doubling back-off), its probes, and the pod status that shows all of it. A
 * container that cannot start (an unknown image, a missing ConfigMap) waits, as in a real cluster.
 */
final class ContainerRun {
  private final Pod pod;
  private final Container container;
  private final Kubelet.Settings settings;
  private final String restartPolicy;
  private PodFiles files;
  private ContainerCommand command;
  private Probes probes;
  private Process process;
  private Instant startedAt;
  private Instant podStartedAt;
  private int restarts;
  private ContainerStateTerminated lastTerminated;
  private ContainerStateTerminated finalState;
  private Instant restartAt;
  private String waitingReason = "ContainerCreating";
  private String waitingMessage;
  private Instant killAt;

  ContainerRun(Pod pod, Kubelet.Settings settings) {
    this.pod = pod;
    this.container = pod.getSpec().getContainers().get(0);
    this.settings = settings;
    String policy = pod.getSpec().getRestartPolicy();
    this.restartPolicy = policy == null ? "Always" : policy;
  }

  String uid() {
    return pod.getMetadata().getUid();
  }

  Pod pod() {
    return pod;
  }

  /** Starts, restarts, probes or notices an exit; called on each of the kubelet's ticks. */
  void tick(Instant now) {
    if (killAt != null) {
      if (process != null && process.isAlive() && now.isAfter(killAt)) {
        process.destroyForcibly(); // the grace period is over
      }
      return;
    }
    if (process == null && finalState == null && (restartAt == null || !now.isBefore(restartAt))) {
      start(now);
      return;
    }
    if (process != null && !process.isAlive()) {
      exited(now);
      return;
    }
    if (process != null && probes != null && probes.tick(now) == Probes.Verdict.KILL) {
      stop(Duration.ofSeconds(grace()));
    }
  }

  private void start(Instant now) {
    try {
      if (files == null) {
        files = PodFiles.prepare(settings.dir(), pod, container, settings.client());
        command = ContainerCommand.build(pod, container, files, settings);
      }
      Files.write(files.terminationMessage(), new byte[0]);
      ProcessBuilder builder =
          new ProcessBuilder(command.command)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(files.log(container.getName()).toFile()));
      builder.environment().clear();
      builder.environment().putAll(command.env);
      builder.directory(files.inRoot("/").toFile());
      process = settings.processes().start(builder);
      startedAt = now;
      if (podStartedAt == null) {
        podStartedAt = now;
      }
      probes = new Probes(container, command.hostPorts, now);
      waitingReason = null;
      waitingMessage = null;
    } catch (PodFiles.NotReady | io.fabric8.kubernetes.client.KubernetesClientException e) {
      // a volume's ConfigMap or Secret is missing, or its token could not be had: the container
      // waits, as a kubelet's does
      files = null;
      waitingReason = "ContainerCreating";
      waitingMessage = e.getMessage();
      restartAt = now.plusSeconds(1);
    } catch (Images.UnknownImage e) {
      waitingReason = "ErrImagePull";
      waitingMessage = e.getMessage();
      restartAt = now.plusSeconds(5);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void exited(Instant now) {
    int code = process.exitValue();
    ContainerStateTerminated terminated =
        new ContainerStateTerminatedBuilder()
            .withExitCode(code)
            .withReason(code == 0 ? "Completed" : "Error")
            .withMessage(message(code))
            .withStartedAt(startedAt.toString())
            .withFinishedAt(now.toString())
            .withContainerID("local://" + process.pid())
            .build();
    process = null;
    probes = null;
    boolean restart =
        restartPolicy.equals("Always") || (restartPolicy.equals("OnFailure") && code != 0);
    if (!restart) {
      finalState = terminated;
      return;
    }
    lastTerminated = terminated;
    // the kubelet's back-off: the first restart at once, then doubling up to a cap
    long delay =
        restarts == 0
            ? 0
            : Math.min(
                settings.backoffCap().toMillis(),
                settings.backoff().toMillis() << Math.min(restarts - 1, 20));
    restarts++;
    restartAt = now.plusMillis(delay);
    waitingReason = delay == 0 ? "ContainerCreating" : "CrashLoopBackOff";
    waitingMessage =
        delay == 0
            ? null
            : "back-off "
                + delay
                + "ms restarting failed container="
                + container.getName()
                + " pod="
                + pod.getMetadata().getName();
  }

  /** The termination log, or with FallbackToLogsOnError and a failure, the log's tail. */
  private String message(int code) {
    try {
      String message = Files.readString(files.terminationMessage(), StandardCharsets.UTF_8);
      if (message.length() > 4096) {
        message = message.substring(0, 4096);
      }
      if (message.isBlank()
          && code != 0
          && "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
        List<String> lines = Files.readAllLines(files.log(container.getName()));
        String tail =
            String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        message = tail.length() > 2048 ? tail.substring(tail.length() - 2048) : tail;
      }
      return message.isBlank() ? null : message;
    } catch (IOException e) {
      return null;
    }
  }

  /** Stops the process: SIGTERM now, SIGKILL after {@code grace}. */
  void stop(Duration grace) {
    if (process != null && process.isAlive()) {
      process.destroy();
      killAt = Instant.now().plus(grace);
    } else {
      killAt = Instant.now();
    }
  }

  /** Waits for a stopping process until {@code deadline}, then kills it. */
  void awaitStop(Instant deadline) {
    if (process == null) {
      return;
    }
    try {
      long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
      if (!process.waitFor(left, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the container was asked to stop (its pod is being deleted, or a probe failed). */
  boolean stopping() {
    return killAt != null;
  }

  /** The container's log, once its files are laid out. */
  java.nio.file.Path log() {
    return files == null ? null : files.log(container.getName());
  }

  boolean stopped() {
    return killAt != null && (process == null || !process.isAlive());
  }

  long grace() {
    Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
    return grace == null ? 30 : grace;
  }

  void deleteFiles() {
    if (files != null) {
      files.delete();
    }
  }

  PodStatus status() {
    boolean running = process != null && process.isAlive();
    boolean ready = running && probes != null && probes.ready();
    String phase =
        finalState != null
            ? (finalState.getExitCode() == 0 ? "Succeeded" : "Failed")
            : running || restarts > 0 ? "Running" : "Pending";
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", true, null, null));
    conditions.add(condition("Initialized", true, null, null));
    conditions.add(condition("ContainersReady", ready, null, null));
    conditions.add(condition("Ready", ready, null, null));
    return new PodStatusBuilder()
        .withPhase(phase)
        .withHostIP("127.0.0.1")
        .withPodIP(podStartedAt == null ? null : "127.0.0.1")
        .withStartTime(podStartedAt == null ? null : podStartedAt.toString())
        .withConditions(conditions)
        .withContainerStatuses(containerStatus(running, ready))
        .build();
  }

  private ContainerStatus containerStatus(boolean running, boolean ready) {
    var state = new ContainerStateBuilder();
    if (finalState != null) {
      state.withTerminated(finalState);
    } else if (running) {
      state.withNewRunning(startedAt.toString());
    } else {
      state.withNewWaiting(
          waitingMessage, waitingReason == null ? "ContainerCreating" : waitingReason);
    }
    return new ContainerStatusBuilder()
        .withName(container.getName())
        .withImage(container.getImage())
        .withImageID("local://" + container.getImage())
        .withContainerID(running ? "local://" + process.pid() : null)
        .withReady(ready)
        .withStarted(running)
        .withRestartCount(restarts)
        .withState(state.build())
        .withLastState(
            lastTerminated == null
                ? null
                : new ContainerStateBuilder().withTerminated(lastTerminated).build())
        .build();
  }

  private static PodCondition condition(
      String type, boolean status, String reason, String message) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  /** The running process's id, for tests that kill it as a node failure would. */
  Long pid() {
    return process != null && process.isAlive() ? process.pid() : null;
  }
}
