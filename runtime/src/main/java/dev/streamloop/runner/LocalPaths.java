package dev.streamloop.runner;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the spec's absolute paths (file sources and sinks, dead letters) are on this machine. In a
 * pod they are where they say: the container's mounts put the volumes there. Without a container,
 * mounts are given as {@code <mountPath>=<directory>} pairs, and a path under a mount is moved into
 * the mount's directory: on the command line ({@code run --mount /data=./data}, to run an example
 * written for a pod on a laptop), or in {@code STREAMLOOP_LOCAL_MOUNTS} ({@code
 * <mountPath>=<directory>;...}), which the local cluster's kubelet (e2e/) sets for the runner
 * processes it starts. The directory is the volume's, not the pod's, so a path recorded in the
 * checkpoint (a file source's files) stays the same when the pod is replaced.
 */
record LocalPaths(Map<String, String> mounts) {
  static final String ENV = "STREAMLOOP_LOCAL_MOUNTS";
  static final LocalPaths NONE = new LocalPaths(Map.of());

  static LocalPaths fromEnv() {
    return parse(System.getenv(ENV));
  }

  static LocalPaths parse(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    Map<String, String> mounts = new LinkedHashMap<>();
    for (String entry : value.split(";")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        mounts.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return new LocalPaths(mounts);
  }

  /** These mounts and {@code more} ({@code <mountPath>=<directory>} each; those win). */
  LocalPaths with(java.util.List<String> more) {
    Map<String, String> all = new LinkedHashMap<>(mounts);
    for (String entry : more) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || !entry.startsWith("/")) {
        throw new IllegalArgumentException(
            "--mount " + entry + ": expected <absolute path in the spec>=<directory here>");
      }
      all.put(
          entry.substring(0, eq),
          java.nio.file.Path.of(entry.substring(eq + 1)).toAbsolutePath().normalize().toString());
    }
    return new LocalPaths(all);
  }

  /** {@code path} on this machine: the deepest mount that holds it wins. */
  String resolve(String path) {
    return mounts.keySet().stream()
        .filter(m -> path.equals(m) || path.startsWith(m.endsWith("/") ? m : m + "/"))
        .max(Comparator.comparingInt(String::length))
        .map(m -> mounts.get(m) + path.substring(m.length()))
        .orElse(path);
  }
}
