package dev.streamloop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart (manifests/helm/streamloop): it lints, and renders with its default values the
 * objects `kubectl kustomize manifests/` renders (and with its metrics values those of
 * manifests/monitoring); the files it ships are copies of their sources.
 */
class HelmChartTest {
  private static final Path ROOT = E2eCluster.ROOT;
  private static final Path CHART = ROOT.resolve("manifests/helm/streamloop");
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void theChartLintsAndItsDefaultsRenderWhatKustomizeInstalls() throws Exception {
    String helm = Tools.helm();
    assertThat(Tools.mustRun(ROOT, Map.of(), helm, "lint", CHART.toString()))
        .contains("1 chart(s) linted, 0 chart(s) failed");

    Map<String, JsonNode> chart =
        objects(
            Tools.mustRun(
                ROOT,
                Map.of(),
                helm,
                "template",
                "streamloop",
                CHART.toString(),
                "--include-crds"));
    Map<String, JsonNode> kustomize =
        objects(Tools.mustRun(ROOT, Map.of(), Tools.kubectl(), "kustomize", "manifests/"));

    assertThat(chart.keySet()).isEqualTo(kustomize.keySet());
    chart.forEach((key, object) -> assertThat(object).as(key).isEqualTo(kustomize.get(key)));
  }

  @Test
  void theMetricsValuesRenderManifestsMonitoringAndTheWebViewValueReachesTheOperator()
      throws Exception {
    Map<String, JsonNode> chart =
        objects(
            Tools.mustRun(
                ROOT,
                Map.of(),
                Tools.helm(),
                "template",
                "streamloop",
                CHART.toString(),
                "--set",
                "metrics.podMonitor=true,metrics.serviceMonitor=true,metrics.prometheusRule=true,"
                    + "metrics.dashboard=true,webView.enabled=true,watchNamespaces={team-a,team-b}"));
    Map<String, JsonNode> monitoring =
        objects(
            Tools.mustRun(ROOT, Map.of(), Tools.kubectl(), "kustomize", "manifests/monitoring/"));

    monitoring.forEach((key, object) -> assertThat(chart.get(key)).as(key).isEqualTo(object));
    JsonNode config = chart.get("ConfigMap/streamloop-system/streamloop-operator-config");
    assertThat(config.at("/data/web-view").asText()).isEqualTo("true");
    assertThat(config.at("/data/watch-namespaces").asText()).isEqualTo("team-a,team-b");
  }

  @Test
  void theFilesTheChartShipsAreCopiesOfTheirSources() throws Exception {
    Map<String, String> copies =
        Map.of(
            "crds/streamingqueries.streamloop.dev.yaml",
                "crds/streamingqueries.streamloop.dev.yaml",
            "files/secret-references-policy.yaml", "crds/secret-references-policy.yaml",
            "files/cluster-role.yaml", "manifests/operator/cluster-role.yaml",
            "files/monitoring/runner-pod-monitor.yaml",
                "manifests/monitoring/runner-pod-monitor.yaml",
            "files/monitoring/operator-service-monitor.yaml",
                "manifests/monitoring/operator-service-monitor.yaml",
            "files/monitoring/prometheus-rule.yaml", "manifests/monitoring/prometheus-rule.yaml",
            "files/monitoring/streamloop-dashboard.json",
                "manifests/monitoring/streamloop-dashboard.json");
    copies.forEach(
        (copy, source) -> {
          try {
            assertThat(Files.readString(CHART.resolve(copy)))
                .as(
                    "%s is a copy of %s: cp %s manifests/helm/streamloop/%s",
                    copy, source, source, copy)
                .isEqualTo(Files.readString(ROOT.resolve(source)));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  /**
   * The objects of a multi-document YAML by kind/namespace/name, normalised: kustomize's hash
   * suffix of generated ConfigMaps and the chart's config-hash annotation (both roll the operator
   * when its configuration changes) are left out, and numbers compare by value (0 and 0.0).
   */
  static Map<String, JsonNode> objects(String yaml) throws Exception {
    Map<String, JsonNode> objects = new TreeMap<>();
    try (var docs = YAML.readValues(YAML.createParser(yaml), JsonNode.class)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isMissingNode() || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        ObjectNode object = (ObjectNode) normalise(doc);
        ObjectNode meta = (ObjectNode) object.get("metadata");
        if (object.get("kind").asText().equals("ConfigMap")) {
          meta.put("name", unhashed(meta.get("name").asText()));
        }
        if (object.get("kind").asText().equals("Deployment")) {
          ObjectNode template = (ObjectNode) object.at("/spec/template/metadata");
          template.remove("annotations");
          for (JsonNode env : object.at("/spec/template/spec/containers/0/env")) {
            JsonNode ref = env.at("/valueFrom/configMapKeyRef");
            if (ref.isObject()) {
              ((ObjectNode) ref).put("name", unhashed(ref.get("name").asText()));
            }
          }
        }
        String namespace = meta.has("namespace") ? meta.get("namespace").asText() : "";
        objects.put(
            object.get("kind").asText() + "/" + namespace + "/" + meta.get("name").asText(),
            object);
      }
    }
    return objects;
  }

  private static String unhashed(String name) {
    return name.replaceFirst("-[a-z0-9]{10}$", "");
  }

  private static JsonNode normalise(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        copy.set(field.getKey(), normalise(field.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      var copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> copy.add(normalise(item)));
      return copy;
    }
    if (node.isNumber()) {
      return JsonNodeFactory.instance.numberNode(node.decimalValue().stripTrailingZeros());
    }
    return node;
  }
}
