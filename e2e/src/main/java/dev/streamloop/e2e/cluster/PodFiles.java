package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's file system on this machine: each volume is a directory (a claim's under the cluster's
 * {@code volumes/<namespace>/<claim>}, so it outlives the pod; the others under the pod's own
 * directory), and the container's view is a directory {@code root} where each mount path is a
 * symbolic link to its volume (or sub-path). Projected volumes get their ServiceAccount token from
 * the TokenRequest API, bound to the pod, as a kubelet's do. Paths the container is given
 * (arguments, environment) that fall under a mount are rewritten into the volume's directory, and
 * the runner gets the mount table for the paths in its spec: the one place where the emulation
 * shows. Read-only mounts are not enforced.
 */
final class PodFiles {
  private final Path podDir;
  private final Path root;
  private final Map<String, Path> mounts = new LinkedHashMap<>();
  private final String terminationMessagePath;

  private PodFiles(Path podDir, String terminationMessagePath) {
    this.podDir = podDir;
    this.root = podDir.resolve("root");
    this.terminationMessagePath = terminationMessagePath;
  }

  /** Why a pod cannot start yet (a missing claim, an unsupported volume), as the scheduler says. */
  static final class NotReady extends Exception {
    NotReady(String message) {
      super(message);
    }
  }

  /** Lays out the volumes and mounts of {@code pod}'s {@code container}. */
  static PodFiles prepare(Path clusterDir, Pod pod, Container container, KubernetesClient client)
      throws NotReady {
    String ns = pod.getMetadata().getNamespace();
    String dirName = ns + "_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid();
    String messagePath =
        container.getTerminationMessagePath() != null
            ? container.getTerminationMessagePath()
            : "/dev/termination-log";
    PodFiles files = new PodFiles(clusterDir.resolve("pods").resolve(dirName), messagePath);
    try {
      Map<String, Path> volumes = new LinkedHashMap<>();
      for (Volume volume : nullSafe(pod.getSpec().getVolumes())) {
        volumes.put(volume.getName(), files.volume(clusterDir, pod, volume, client));
      }
      Files.createDirectories(files.root);
      for (VolumeMount mount : nullSafe(container.getVolumeMounts())) {
        Path volume = volumes.get(mount.getName());
        if (volume == null) {
          throw new NotReady("volume mount " + mount.getName() + " names no volume of the pod");
        }
        Path target = mount.getSubPath() == null ? volume : volume.resolve(mount.getSubPath());
        Files.createDirectories(target);
        Path link = files.inRoot(mount.getMountPath());
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
        files.mounts.put(mount.getMountPath(), target);
      }
      Path message = files.inRoot(messagePath);
      Files.createDirectories(message.getParent());
      Files.write(message, new byte[0]);
      files.mounts.put(messagePath, message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private Path volume(Path clusterDir, Pod pod, Volume volume, KubernetesClient client)
      throws NotReady, IOException {
    String ns = pod.getMetadata().getNamespace();
    if (volume.getPersistentVolumeClaim() != null) {
      String claim = volume.getPersistentVolumeClaim().getClaimName();
      if (client.persistentVolumeClaims().inNamespace(ns).withName(claim).get() == null) {
        throw new NotReady("persistentvolumeclaim \"" + claim + "\" not found");
      }
      Path dir = ClaimDirectories.dir(clusterDir, ns, claim);
      Files.createDirectories(dir);
      return dir;
    }
    Path dir = podDir.resolve("volumes").resolve(volume.getName());
    Files.createDirectories(dir);
    if (volume.getEmptyDir() != null) {
      return dir;
    }
    if (volume.getConfigMap() != null) {
      var source = volume.getConfigMap();
      ConfigMap map = client.configMaps().inNamespace(ns).withName(source.getName()).get();
      if (map == null && !Boolean.TRUE.equals(source.getOptional())) {
        throw new NotReady("configmap \"" + source.getName() + "\" not found");
      }
      Map<String, byte[]> data = new LinkedHashMap<>();
      if (map != null && map.getData() != null) {
        map.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
      }
      write(dir, data, source.getItems());
      return dir;
    }
    if (volume.getProjected() != null) {
      Projection.write(dir, pod, volume.getProjected(), client);
      return dir;
    }
    if (volume.getSecret() != null) {
      var source = volume.getSecret();
      Secret secret = client.secrets().inNamespace(ns).withName(source.getSecretName()).get();
      if (secret == null && !Boolean.TRUE.equals(source.getOptional())) {
        throw new NotReady("secret \"" + source.getSecretName() + "\" not found");
      }
      Map<String, byte[]> data = new LinkedHashMap<>();
      if (secret != null && secret.getData() != null) {
        secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
      }
      if (secret != null && secret.getStringData() != null) {
        secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
      }
      write(dir, data, source.getItems());
      return dir;
    }
    throw new NotReady(
        "volume "
            + volume.getName()
            + ": the local cluster supports persistentVolumeClaim, emptyDir, configMap, secret and"
            + " projected volumes only");
  }

  static void write(Path dir, Map<String, byte[]> data, List<KeyToPath> items) throws IOException {
    if (items == null || items.isEmpty()) {
      for (var entry : data.entrySet()) {
        Files.write(dir.resolve(entry.getKey()), entry.getValue());
      }
      return;
    }
    for (KeyToPath item : items) {
      if (data.containsKey(item.getKey())) {
        Path file = dir.resolve(item.getPath());
        Files.createDirectories(file.getParent());
        Files.write(file, data.get(item.getKey()));
      }
    }
  }

  /**
   * {@code value} with a path under one of the container's mounts moved into the mount's directory
   * (the deepest mount wins). The volume's own directory, not the pod's view of it, so that a path
   * the runner records (in its checkpoint) stays valid for the pod's successors.
   */
  String rewrite(String value) {
    if (value == null || !value.startsWith("/")) {
      return value;
    }
    return mounts.keySet().stream()
        .filter(m -> value.equals(m) || value.startsWith(m.endsWith("/") ? m : m + "/"))
        .max(Comparator.comparingInt(String::length))
        .map(m -> mounts.get(m) + value.substring(m.length()))
        .orElse(value);
  }

  /** Whether the container has a volume mounted at {@code path}. */
  boolean mounts(String path) {
    return mounts.containsKey(path);
  }

  /** The mounts as the runner reads them from STREAMLOOP_LOCAL_MOUNTS: {@code path=dir;...}. */
  String mountTable() {
    StringBuilder table = new StringBuilder();
    mounts.forEach(
        (path, dir) ->
            table.append(table.isEmpty() ? "" : ";").append(path).append('=').append(dir));
    return table.toString();
  }

  /** Where the container's absolute {@code path} is on this machine. */
  Path inRoot(String path) {
    return root.resolve(path.replaceFirst("^/+", ""));
  }

  Path terminationMessage() {
    return inRoot(terminationMessagePath);
  }

  Path log(String container) {
    return podDir.resolve(container + ".log");
  }

  /** Removes the pod's own directory (never a claim's). */
  void delete() {
    Trees.delete(podDir);
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
