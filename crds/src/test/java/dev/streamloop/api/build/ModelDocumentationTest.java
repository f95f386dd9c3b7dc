package dev.streamloop.api.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every field of the API has a description, so {@code kubectl explain} can explain it. */
class ModelDocumentationTest {
  /** Sub-schemas copied from Kubernetes' own types, which carry no descriptions in fabric8. */
  private static final Set<String> KUBERNETES_TYPES =
      Set.of(
          "spec.runner.resources",
          "spec.runner.env[]",
          "spec.runner.imagePullSecrets[]",
          "spec.runner.tolerations[]",
          "spec.runner.affinity",
          "spec.runner.volumes[].persistentVolumeClaim",
          "spec.runner.volumes[].emptyDir",
          "spec.runner.volumes[].configMap",
          "spec.runner.volumes[].secret",
          "spec.runner.volumes[].nfs");

  @Test
  void everyFieldOfOurOwnTypesHasADescription() throws IOException {
    CustomResourceDefinition crd =
        new KubernetesSerialization()
            .unmarshal(
                Files.readString(Path.of(System.getProperty("streamloop.generatedCrd"))),
                CustomResourceDefinition.class);
    JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(root.getProperties().get("spec"), "spec", undocumented);
    collectUndocumented(root.getProperties().get("status"), "status", undocumented);

    assertThat(root.getDescription()).isNotBlank();
    assertThat(undocumented)
        .as("fields without a description: add an @param to the record's Javadoc")
        .isEmpty();
  }

  private static void collectUndocumented(JSONSchemaProps schema, String path, List<String> out) {
    if (KUBERNETES_TYPES.contains(path)) {
      return;
    }
    schema
        .getProperties()
        .forEach(
            (name, child) -> {
              String childPath = path + "." + name;
              if (child.getDescription() == null || child.getDescription().isBlank()) {
                out.add(childPath);
              }
              if (child.getItems() != null) {
                collectUndocumented(child.getItems().getSchema(), childPath + "[]", out);
              } else if (child.getAdditionalProperties() != null
                  && child.getAdditionalProperties().getSchema() != null) {
                collectUndocumented(
                    child.getAdditionalProperties().getSchema(), childPath + "{}", out);
              } else {
                collectUndocumented(child, childPath, out);
              }
            });
  }
}
