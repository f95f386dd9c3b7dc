package dev.streamloop.api.build;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders the API reference (docs/api-reference.md) from the generated CRD, so the docs cannot
 * drift from what the API server enforces.
 */
final class ApiReferenceWriter {
  /** Sub-schemas taken from Kubernetes' own types; the reference links to them instead. */
  private static final Map<String, String> KUBERNETES_TYPES =
      Map.of(
          "spec.runner.resources", "ResourceRequirements",
          "spec.runner.env[]", "EnvVar",
          "spec.runner.imagePullSecrets[]", "LocalObjectReference",
          "spec.runner.tolerations[]", "Toleration",
          "spec.runner.affinity", "Affinity",
          "spec.runner.volumes[].persistentVolumeClaim", "PersistentVolumeClaimVolumeSource",
          "spec.runner.volumes[].emptyDir", "EmptyDirVolumeSource",
          "spec.runner.volumes[].configMap", "ConfigMapVolumeSource",
          "spec.runner.volumes[].secret", "SecretVolumeSource",
          "spec.runner.volumes[].nfs", "NFSVolumeSource");

  private ApiReferenceWriter() {}

  static String render(CustomResourceDefinition crd) {
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    StringBuilder out = new StringBuilder();
    out.append("# StreamingQuery API reference\n\n")
        .append("<!-- Generated from the CRD by the build (crds/): do not edit by hand. -->\n\n")
        .append("`")
        .append(crd.getSpec().getGroup())
        .append('/')
        .append(version.getName())
        .append("`, kind `")
        .append(crd.getSpec().getNames().getKind())
        .append("`, namespaced, short name `")
        .append(String.join("`, `", crd.getSpec().getNames().getShortNames()))
        .append("`, category `")
        .append(String.join("`, `", crd.getSpec().getNames().getCategories()))
        .append("`.\n\n")
        .append(root.getDescription())
        .append("\n\n## Columns of `kubectl get sq`\n\n")
        .append("| column | from | shown | meaning |\n|---|---|---|---|\n");
    for (CustomResourceColumnDefinition c : version.getAdditionalPrinterColumns()) {
      out.append("| ")
          .append(c.getName())
          .append(" | `")
          .append(c.getJsonPath())
          .append("` | ")
          .append(c.getPriority() != null && c.getPriority() > 0 ? "`-o wide`" : "always")
          .append(" | ")
          .append(c.getDescription() == null ? "" : c.getDescription())
          .append(" |\n");
    }
    out.append("\n## Fields\n\n")
        .append("Rules are checked by the API server when an object is created or changed;")
        .append(" `StreamingQueryValidator` (crds/) checks the same rules offline.\n");
    writeObject(out, "metadata", root, List.of());
    writeObject(out, "spec", root.getProperties().get("spec"), List.of());
    writeObject(out, "status", root.getProperties().get("status"), List.of());
    return out.toString();
  }

  private static void writeObject(
      StringBuilder out, String path, JSONSchemaProps schema, List<String> required) {
    List<ValidationRule> rules =
        schema.getXKubernetesValidations() == null ? List.of() : schema.getXKubernetesValidations();
    if (path.equals("metadata")) {
      out.append("\n### (root)\n\n");
      rules.forEach(r -> out.append("- Rule: ").append(ruleText(r)).append('\n'));
      return;
    }
    out.append("\n### `").append(path).append("`\n\n");
    if (schema.getDescription() != null) {
      out.append(schema.getDescription()).append("\n\n");
    }
    rules.forEach(r -> out.append("- Rule: ").append(ruleText(r)).append('\n'));
    if (!rules.isEmpty()) {
      out.append('\n');
    }
    out.append("| field | type | description |\n|---|---|---|\n");
    List<String[]> nested = new ArrayList<>();
    schema
        .getProperties()
        .forEach(
            (name, prop) -> {
              String childPath = path + "." + name;
              JSONSchemaProps item =
                  "array".equals(prop.getType()) ? prop.getItems().getSchema() : null;
              String objectPath =
                  item != null && "object".equals(item.getType()) ? childPath + "[]" : childPath;
              JSONSchemaProps object = item != null ? item : prop;
              String k8sType = KUBERNETES_TYPES.get(objectPath);
              out.append("| `")
                  .append(name)
                  .append("` | ")
                  .append(type(prop, k8sType))
                  .append(" | ")
                  .append(cell(prop, schema.getRequired().contains(name), k8sType, object))
                  .append(" |\n");
              if (k8sType == null
                  && "object".equals(object.getType())
                  && !object.getProperties().isEmpty()) {
                nested.add(new String[] {objectPath, name});
              }
            });
    for (String[] n : nested) {
      JSONSchemaProps prop = schema.getProperties().get(n[1]);
      JSONSchemaProps object = "array".equals(prop.getType()) ? prop.getItems().getSchema() : prop;
      writeObject(out, n[0], object, object.getRequired());
    }
  }

  private static String type(JSONSchemaProps prop, String k8sType) {
    if (k8sType != null) {
      return "array".equals(prop.getType()) ? "[]" + k8sType : k8sType;
    }
    if (Boolean.TRUE.equals(prop.getXKubernetesIntOrString())) {
      return "quantity";
    }
    if ("array".equals(prop.getType())) {
      return "[]" + type(prop.getItems().getSchema(), null);
    }
    if ("object".equals(prop.getType()) && prop.getAdditionalProperties() != null) {
      return "map[string]" + type(prop.getAdditionalProperties().getSchema(), null);
    }
    return prop.getType();
  }

  private static String cell(
      JSONSchemaProps prop, boolean required, String k8sType, JSONSchemaProps object) {
    List<String> parts = new ArrayList<>();
    if (required) {
      parts.add("**Required.**");
    }
    if (prop.getDescription() != null) {
      parts.add(prop.getDescription());
    }
    if (k8sType != null) {
      parts.add("Kubernetes' `" + k8sType + "`.");
    }
    JSONSchemaProps scalar = "array".equals(prop.getType()) ? object : prop;
    if (scalar.getEnum() != null && !scalar.getEnum().isEmpty()) {
      parts.add(
          "One of "
              + scalar.getEnum().stream()
                  .map(e -> "`" + e.asText() + "`")
                  .collect(Collectors.joining(", "))
              + ".");
    }
    if (prop.getDefault() != null) {
      parts.add("Default `" + prop.getDefault().toString().replace("\"", "") + "`.");
    }
    if (prop.getMinimum() != null) {
      parts.add("Minimum " + prop.getMinimum().longValue() + ".");
    }
    if (prop.getMaximum() != null) {
      parts.add("Maximum " + prop.getMaximum().longValue() + ".");
    }
    if (prop.getMaxItems() != null) {
      parts.add("At most " + prop.getMaxItems() + " items.");
    }
    if (prop.getPattern() != null) {
      parts.add("Pattern `" + prop.getPattern().replace("|", "\\|") + "`.");
    }
    return String.join(" ", parts).replace("\n", " ");
  }

  private static String ruleText(ValidationRule rule) {
    String message =
        rule.getMessage() != null && !rule.getMessage().isEmpty()
            ? rule.getMessage()
            : "(message computed: " + rule.getMessageExpression() + ")";
    return message.replace("|", "\\|")
        + (rule.getFieldPath() != null ? " (field `" + rule.getFieldPath() + "`)" : "");
  }
}
