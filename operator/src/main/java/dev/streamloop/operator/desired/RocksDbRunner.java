package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.StreamingQuerySpec;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.List;

/**
 * What a runner with the RocksDB state store adds to its pod: a local emptyDir for the working
 * database (rebuilt from the checkpoint when the pod starts, so it need not outlive the pod), the
 * container's memory limit for sizing RocksDB's cache, a smaller heap (RocksDB takes a quarter of
 * the limit outside the heap, so the heap gets 40% instead of the image's 75%), and two malloc
 * arenas.
 */
final class RocksDbRunner {
  static final String VOLUME = "state-local";
  static final String LOCAL_DIR = "/var/lib/streamloop/local";
  static final String DEFAULT_SIZE = "10Gi";

  private RocksDbRunner() {}

  static Volume localVolume(StreamingQuerySpec spec) {
    Quantity size =
        spec.state().localVolumeSize() != null
            ? spec.state().localVolumeSize()
            : new Quantity(DEFAULT_SIZE);
    return new VolumeBuilder()
        .withName(VOLUME)
        .withEmptyDir(new EmptyDirVolumeSourceBuilder().withSizeLimit(size).build())
        .build();
  }

  static List<EnvVar> env() {
    return List.of(
        RunnerPod.env("STREAMLOOP_LOCAL_DIR", LOCAL_DIR),
        new EnvVarBuilder()
            .withName("STREAMLOOP_MEMORY_LIMIT")
            .withNewValueFrom()
            .withNewResourceFieldRef()
            .withContainerName(RunnerPod.CONTAINER)
            .withResource("limits.memory")
            .endResourceFieldRef()
            .endValueFrom()
            .build(),
        RunnerPod.env(
            "JAVA_TOOL_OPTIONS",
            "-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"),
        // glibc's per-thread malloc arenas fragment under RocksDB's background threads: two
        // arenas took the W5 runner's peak RSS from 498 to 469 MB in a 512 MiB limit
        RunnerPod.env("MALLOC_ARENA_MAX", "2"));
  }
}
