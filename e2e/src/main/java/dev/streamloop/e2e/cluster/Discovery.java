package dev.streamloop.e2e.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The discovery documents real clients (kubectl, client-go, fabric8's {@code supports()}) read
 * before anything else, which the mock server's CRUD mode does not answer: {@code /version}, {@code
 * /api}, {@code /api/v1}, {@code /apis} and {@code /apis/<group>[/<version>]}, for the built-in
 * kinds the operator, the runner and kubectl users touch, plus registered CRDs.
 */
final class Discovery {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A resource as discovery lists it. */
  record Resource(
      String group,
      String version,
      String name,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      boolean status) {}

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final List<Resource> resources = new CopyOnWriteArrayList<>(builtIn());

  /** Adds a CRD's served versions (called when the local cluster applies it). */
  void register(CustomResourceDefinition crd) {
    var spec = crd.getSpec();
    for (CustomResourceDefinitionVersion version : spec.getVersions()) {
      if (Boolean.FALSE.equals(version.getServed())) {
        continue;
      }
      resources.add(
          new Resource(
              spec.getGroup(),
              version.getName(),
              spec.getNames().getPlural(),
              spec.getNames().getKind(),
              "Namespaced".equals(spec.getScope()),
              nullSafe(spec.getNames().getShortNames()),
              nullSafe(spec.getNames().getCategories()),
              version.getSubresources() != null && version.getSubresources().getStatus() != null));
    }
  }

  /** The document for a GET of {@code path}, or empty when it is not a discovery path. */
  Optional<String> answer(String path) {
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    if (path.equals("/version")) {
      return Optional.of(
          "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0-streamloop-local\","
              + "\"platform\":\"linux/amd64\"}");
    }
    if (path.equals("/api")) {
      return Optional.of(
          "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
              + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}");
    }
    if (path.equals("/api/v1")) {
      return Optional.of(resourceList("", "v1"));
    }
    if (path.equals("/apis")) {
      return Optional.of(groupList());
    }
    if (parts.length == 2 && parts[0].equals("apis") && groups().containsKey(parts[1])) {
      return Optional.of(group(parts[1], groups().get(parts[1])).toString());
    }
    if (parts.length == 3 && parts[0].equals("apis") && groups().containsKey(parts[1])) {
      if (groups().get(parts[1]).contains(parts[2])) {
        return Optional.of(resourceList(parts[1], parts[2]));
      }
    }
    return Optional.empty();
  }

  private Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (Resource r : resources) {
      if (!r.group().isEmpty()) {
        List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
        if (!versions.contains(r.version())) {
          versions.add(r.version());
        }
      }
    }
    return groups;
  }

  private String groupList() {
    ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode items = list.putArray("groups");
    groups().forEach((name, versions) -> items.add(group(name, versions)));
    return list.toString();
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode group = JSON.createObjectNode().put("kind", "APIGroup").put("name", name);
    ArrayNode array = group.putArray("versions");
    for (String v : versions) {
      array.addObject().put("groupVersion", name + "/" + v).put("version", v);
    }
    group
        .putObject("preferredVersion")
        .put("groupVersion", name + "/" + versions.get(0))
        .put("version", versions.get(0));
    return group;
  }

  private String resourceList(String group, String version) {
    String groupVersion = group.isEmpty() ? version : group + "/" + version;
    ObjectNode list =
        JSON.createObjectNode()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", groupVersion);
    ArrayNode items = list.putArray("resources");
    for (Resource r : resources) {
      if (!r.group().equals(group) || !r.version().equals(version)) {
        continue;
      }
      ObjectNode item =
          items
              .addObject()
              .put("name", r.name())
              .put("singularName", r.kind().toLowerCase())
              .put("namespaced", r.namespaced())
              .put("kind", r.kind());
      VERBS.forEach(item.putArray("verbs")::add);
      r.shortNames().forEach(item.putArray("shortNames")::add);
      r.categories().forEach(item.putArray("categories")::add);
      if (r.status()) {
        ObjectNode status =
            items
                .addObject()
                .put("name", r.name() + "/status")
                .put("singularName", "")
                .put("namespaced", r.namespaced())
                .put("kind", r.kind());
        List.of("get", "patch", "update").forEach(status.putArray("verbs")::add);
      }
    }
    return list.toString();
  }

  private static List<Resource> builtIn() {
    List<Resource> all = new ArrayList<>();
    all.add(core("pods", "Pod", true, "po"));
    all.add(core("configmaps", "ConfigMap", false, "cm"));
    all.add(core("secrets", "Secret", false));
    all.add(core("services", "Service", true, "svc"));
    all.add(core("serviceaccounts", "ServiceAccount", false, "sa"));
    all.add(core("events", "Event", false, "ev"));
    all.add(core("persistentvolumeclaims", "PersistentVolumeClaim", true, "pvc"));
    all.add(
        new Resource("", "v1", "namespaces", "Namespace", false, List.of("ns"), List.of(), true));
    all.add(named("apps", "statefulsets", "StatefulSet", true, "sts"));
    all.add(named("apps", "deployments", "Deployment", true, "deploy"));
    all.add(named("batch", "jobs", "Job", true));
    all.add(named("batch", "cronjobs", "CronJob", true, "cj"));
    all.add(named("rbac.authorization.k8s.io", "roles", "Role", false));
    all.add(named("rbac.authorization.k8s.io", "rolebindings", "RoleBinding", false));
    all.add(named("coordination.k8s.io", "leases", "Lease", false));
    all.add(named("events.k8s.io", "events", "Event", false, "ev"));
    all.add(
        new Resource(
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            "CustomResourceDefinition",
            false,
            List.of("crd", "crds"),
            List.of(),
            true));
    return all;
  }

  private static Resource core(String name, String kind, boolean status, String... shortNames) {
    return new Resource("", "v1", name, kind, true, List.of(shortNames), List.of(), status);
  }

  private static Resource named(
      String group, String name, String kind, boolean status, String... shortNames) {
    return new Resource(group, "v1", name, kind, true, List.of(shortNames), List.of(), status);
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
