package dev.streamloop.api.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a kustomization's resources (files and nested kustomization directories) as typed
 * Kubernetes objects. Only what the install manifests use: {@code resources}; transformers such as
 * {@code namespace} are left to kustomize and checked separately.
 */
final class Kustomization {
  private static final List<String> FILE_NAMES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private Kustomization() {}

  static JsonNode read(Path dir) throws IOException {
    for (String name : FILE_NAMES) {
      Path file = dir.resolve(name);
      if (Files.exists(file)) {
        return new YAMLMapper().readTree(file.toFile());
      }
    }
    throw new IOException("no kustomization file in " + dir);
  }

  static List<HasMetadata> resources(Path dir) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    KubernetesSerialization serialization = new KubernetesSerialization();
    for (JsonNode entry : read(dir).path("resources")) {
      Path resource = dir.resolve(entry.asText()).normalize();
      if (Files.isDirectory(resource)) {
        objects.addAll(resources(resource));
        continue;
      }
      Object parsed = serialization.unmarshal(Files.readString(resource));
      if (parsed instanceof List<?> list) {
        list.forEach(o -> objects.add((HasMetadata) o));
      } else {
        objects.add((HasMetadata) parsed);
      }
    }
    return objects;
  }
}
