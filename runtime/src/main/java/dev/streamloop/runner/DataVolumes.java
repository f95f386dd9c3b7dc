package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.RunnerVolume;
import dev.streamloop.api.v1alpha1.StreamingQuerySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The only places a query's files may be: its data volumes (runner.volumes of kind
 * persistentVolumeClaim, emptyDir or nfs). The CRD's rules refuse a file source, file sink or
 * dead-letter path outside them; the runner checks again where it can see the file system, so that
 * neither a document that skipped the API server nor a symbolic link in a volume lets a query read
 * the runner's own files (its environment, service-account token, the connectors' Secrets).
 */
final class DataVolumes {
  /** A spec path on this machine, and the directory of the volume that holds it. */
  record Located(Path path, Path volume) {}

  private final List<String> mountPaths;
  private final LocalPaths paths;

  private DataVolumes(List<String> mountPaths, LocalPaths paths) {
    this.mountPaths = mountPaths;
    this.paths = paths;
  }

  static DataVolumes of(StreamingQuerySpec spec, LocalPaths paths) {
    List<RunnerVolume> volumes =
        spec.runner() == null || spec.runner().volumes() == null
            ? List.of()
            : spec.runner().volumes();
    return new DataVolumes(
        volumes.stream()
            .filter(
                v -> v.persistentVolumeClaim() != null || v.emptyDir() != null || v.nfs() != null)
            .map(RunnerVolume::mountPath)
            .toList(),
        paths);
  }

  /**
   * Where {@code specPath} (the value of {@code field}) is on this machine; refused when no data
   * volume holds it, or when it exists and is a link that leads out of its volume.
   */
  Located locate(String field, String specPath) throws InvalidQueryException {
    Optional<String> mount =
        mountPaths.stream()
            .filter(m -> specPath.equals(m) || specPath.startsWith(m + "/"))
            .max(Comparator.comparingInt(String::length));
    if (mount.isEmpty()) {
      throw new InvalidQueryException(
          List.of(
              field
                  + ": "
                  + specPath
                  + " is not inside a data volume: add a persistentVolumeClaim, emptyDir or nfs"
                  + " volume to spec.runner.volumes whose mountPath holds it (running the runner"
                  + " alone, also --mount MOUNTPATH=DIR); the runner reads and writes no other"
                  + " part of its file system"));
    }
    Path volume = Path.of(paths.resolve(mount.get())).toAbsolutePath().normalize();
    Path path = Path.of(paths.resolve(specPath)).toAbsolutePath().normalize();
    if (!path.startsWith(volume) || !staysIn(volume, path)) {
      throw new InvalidQueryException(
          List.of(
              field
                  + ": "
                  + specPath
                  + " leads out of the volume at "
                  + mount.get()
                  + " through a symbolic link: the runner follows no link out of a volume;"
                  + " give the real directory instead"));
    }
    return new Located(path, volume);
  }

  /**
   * Whether the deepest existing directory of {@code path} (a glob's, a sink's that is not there
   * yet) is, links resolved, still inside {@code volume}.
   */
  static boolean staysIn(Path volume, Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.exists(volume)) {
      return true; // nothing there yet to follow; the source waits, the sink creates it
    }
    try {
      return existing.toRealPath().startsWith(volume.toRealPath());
    } catch (IOException e) {
      return false; // a loop of links, or one that points nowhere: not a way into the volume
    }
  }
}
