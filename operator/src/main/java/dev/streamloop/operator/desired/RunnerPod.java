package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.CheckpointReset;
import dev.streamloop.api.v1alpha1.RunnerSpec;
import dev.streamloop.api.v1alpha1.RunnerVolume;
import dev.streamloop.api.v1alpha1.StateSpec;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's pod, shared by the StatefulSet (continuous triggers) and the Jobs (available-now):
 * the runner contract of docs/architecture.md, runner contract (spec snapshot, checkpoint
 * directory, identity in the environment, one HTTP port, termination log) under the restricted Pod
 * Security Standard.
 */
public final class RunnerPod {
  public static final String CONTAINER = "runner";
  public static final String QUERY_DIR = "/streamloop/query";
  public static final String CHECKPOINT_DIR = "/streamloop/checkpoint";
  public static final int HTTP_PORT = 8080;

  /** The non-root user of the runner image. */
  public static final long RUNNER_UID = 10001;

  private RunnerPod() {}

  /**
   * The template; {@code checkpoint} is the pod's checkpoint volume (a claim template's mount for a
   * StatefulSet, a named claim for a Job) and {@code replicaIndex} how the pod learns its index.
   */
  public static PodTemplateSpec template(
      StreamingQuery query, String image, Volume checkpoint, EnvVar replicaIndex) {
    RunnerSpec runner = runner(query);
    Map<String, String> labels = new LinkedHashMap<>();
    if (runner.podLabels() != null) {
      labels.putAll(runner.podLabels());
    }
    labels.putAll(Labels.of(query, RunnerAccess.COMPONENT));
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("query")
            .withConfigMap(
                new ConfigMapVolumeSourceBuilder()
                    .withName(
                        ChildNames.snapshot(
                            query.getMetadata().getName(), SpecSnapshot.generation(query)))
                    .build())
            .build());
    if (checkpoint != null) {
      volumes.add(checkpoint);
    }
    volumes.add(
        new VolumeBuilder()
            .withName("tmp")
            .withEmptyDir(
                new EmptyDirVolumeSourceBuilder().withSizeLimit(new Quantity("1Gi")).build())
            .build());
    if (StateSpec.store(query.getSpec()) == StateSpec.Store.ROCKSDB) {
      volumes.add(RocksDbRunner.localVolume(query.getSpec()));
    }
    volumes.addAll(SecretMounts.volumes(query));
    if (runner.volumes() != null) {
      runner.volumes().forEach(v -> volumes.add(userVolume(v)));
    }
    PodSpec spec =
        new PodSpecBuilder()
            .withServiceAccountName(RunnerAccess.serviceAccountName(query))
            .withAutomountServiceAccountToken(true) // the runner patches its query's status
            .withTerminationGracePeriodSeconds(
                runner.terminationGracePeriodSeconds() != null
                    ? runner.terminationGracePeriodSeconds()
                    : 60L)
            .withSecurityContext(
                new PodSecurityContextBuilder()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(RUNNER_UID)
                    .withRunAsGroup(RUNNER_UID)
                    .withFsGroup(RUNNER_UID)
                    .withSeccompProfile(
                        new SeccompProfileBuilder().withType("RuntimeDefault").build())
                    .build())
            .withContainers(container(query, image, runner, replicaIndex))
            .withVolumes(volumes)
            .withImagePullSecrets(runner.imagePullSecrets())
            .withNodeSelector(runner.nodeSelector())
            .withTolerations(runner.tolerations())
            .withAffinity(runner.affinity())
            .withPriorityClassName(runner.priorityClassName())
            .build();
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(annotations(query, runner))
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  private static Container container(
      StreamingQuery query, String image, RunnerSpec runner, EnvVar replicaIndex) {
    String runnerImage = runner.image() != null ? runner.image() : image;
    List<EnvVar> env = new ArrayList<>();
    env.add(env("STREAMLOOP_QUERY_NAMESPACE", query.getMetadata().getNamespace()));
    env.add(env("STREAMLOOP_QUERY_NAME", query.getMetadata().getName()));
    env.add(env("STREAMLOOP_GENERATION", String.valueOf(SpecSnapshot.generation(query))));
    env.add(env("STREAMLOOP_REPLICA_COUNT", String.valueOf(parallelism(query))));
    // echoed in status.progress[].runner: what actually runs
    env.add(env("STREAMLOOP_RUNNER_IMAGE", runnerImage));
    if (query.getSpec().rewind() != null) {
      // the runner replays once per nonce; the checkpoint records that it did
      env.add(env("STREAMLOOP_REWIND", query.getSpec().rewind().runnerArgument()));
    }
    env.add(replicaIndex);
    boolean rocksdb = StateSpec.store(query.getSpec()) == StateSpec.Store.ROCKSDB;
    if (rocksdb) {
      env.addAll(RocksDbRunner.env());
    }
    if (runner.env() != null) {
      env.addAll(runner.env());
    }
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount("query", QUERY_DIR, true));
    // A sub-directory per spec.checkpoint.resetNonce: a reset starts empty and keeps the old one.
    mounts.add(
        new VolumeMountBuilder()
            .withName(ChildNames.CHECKPOINT_VOLUME)
            .withMountPath(CHECKPOINT_DIR)
            .withSubPath(checkpointSubPath(query))
            .build());
    mounts.add(mount("tmp", "/tmp", false));
    if (rocksdb) {
      mounts.add(mount(RocksDbRunner.VOLUME, RocksDbRunner.LOCAL_DIR, false));
    }
    mounts.addAll(SecretMounts.mounts(query));
    if (runner.volumes() != null) {
      for (RunnerVolume v : runner.volumes()) {
        mounts.add(
            new VolumeMountBuilder()
                .withName(v.name())
                .withMountPath(v.mountPath())
                .withSubPath(v.subPath())
                .withReadOnly(Boolean.TRUE.equals(v.readOnly()))
                .build());
      }
    }
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(runnerImage)
        .withImagePullPolicy(
            runner.imagePullPolicy() != null ? runner.imagePullPolicy().name() : null)
        .withArgs(
            "run",
            "--query",
            QUERY_DIR + "/" + SpecSnapshot.FILE,
            "--checkpoint",
            CHECKPOINT_DIR,
            "--http-port",
            String.valueOf(HTTP_PORT),
            "--termination-log",
            "/dev/termination-log")
        .withEnv(env)
        .addNewPort()
        .withName("http")
        .withContainerPort(HTTP_PORT)
        .endPort()
        .withResources(
            runner.resources() != null
                ? runner.resources()
                : new ResourceRequirementsBuilder()
                    .withRequests(
                        Map.of("cpu", new Quantity("250m"), "memory", new Quantity("512Mi")))
                    .withLimits(Map.of("memory", new Quantity("512Mi")))
                    .build())
        .withReadinessProbe(probe("/readyz", 3))
        .withLivenessProbe(probe("/healthz", 6))
        .withVolumeMounts(mounts)
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(
            new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withCapabilities(new Capabilities(null, List.of("ALL")))
                .build())
        .build();
  }

  private static Probe probe(String path, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString("http"))
        .endHttpGet()
        .withPeriodSeconds(10)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static Volume userVolume(RunnerVolume v) {
    return new VolumeBuilder()
        .withName(v.name())
        .withPersistentVolumeClaim(v.persistentVolumeClaim())
        .withEmptyDir(v.emptyDir())
        .withConfigMap(v.configMap())
        .withSecret(v.secret())
        .withNfs(v.nfs())
        .build();
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(name)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }

  /** The checkpoint's directory on the runner's volume. */
  public static String checkpointSubPath(StreamingQuery query) {
    var checkpoint = query.getSpec().checkpoint();
    long reset =
        checkpoint == null || checkpoint.resetNonce() == null ? 0 : checkpoint.resetNonce();
    return "checkpoint-" + reset;
  }

  /** The user's annotations plus the restart nonce: a new nonce is a new template, a rollout. */
  private static Map<String, String> annotations(StreamingQuery query, RunnerSpec runner) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (runner.podAnnotations() != null) {
      annotations.putAll(runner.podAnnotations());
    }
    Long nonce = query.getSpec().restartNonce();
    annotations.put(RESTART_NONCE, String.valueOf(nonce == null ? 0 : nonce));
    return annotations;
  }

  public static final String RESTART_NONCE = "streamloop.dev/restart-nonce";

  /**
   * {@code template} with the checkpoint reset its generation rolls out with (null: none), which
   * the runner does once, at its first start (STREAMLOOP_CHECKPOINT_RESET, scope@generation).
   */
  public static PodTemplateSpec addReset(PodTemplateSpec template, CheckpointReset reset) {
    if (reset != null) {
      template
          .getSpec()
          .getContainers()
          .get(0)
          .getEnv()
          .add(
              env(
                  "STREAMLOOP_CHECKPOINT_RESET",
                  reset.scope().name().toLowerCase(Locale.ROOT) + "@" + reset.generation()));
    }
    return template;
  }

  static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  static RunnerSpec runner(StreamingQuery query) {
    RunnerSpec runner = query.getSpec().runner();
    return runner != null
        ? runner
        : new RunnerSpec(
            null, null, null, null, null, null, null, null, null, null, null, null, null, 60L);
  }

  /** spec.parallelism, 1 when unset. */
  public static int parallelism(StreamingQuery query) {
    Integer parallelism = query.getSpec().parallelism();
    return parallelism == null ? 1 : parallelism;
  }
}
