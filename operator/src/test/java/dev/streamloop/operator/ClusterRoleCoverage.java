package dev.streamloop.operator;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the install manifests' ClusterRole allows an API request the operator made: the request
 * line (method and path) becomes the RBAC verb, API group and resource the API server would check.
 */
final class ClusterRoleCoverage {
  static final Path CLUSTER_ROLE = Path.of("../manifests/operator/cluster-role.yaml");
  private final ClusterRole role;

  ClusterRoleCoverage() {
    try {
      role =
          new KubernetesSerialization()
              .unmarshal(Files.readString(CLUSTER_ROLE), ClusterRole.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The request as RBAC sees it.
   *
   * @param verb get, list, watch, create, update, patch or delete.
   * @param group API group ("" for the core group).
   * @param resource Resource, with "/subresource" if any.
   */
  record Access(String verb, String group, String resource) {}

  /** Empty when the request is not a resource request (discovery, /version). */
  static Optional<Access> access(String method, String url) {
    URI uri = URI.create(url);
    String[] parts = uri.getPath().substring(1).split("/");
    int i;
    String group;
    if (parts[0].equals("api") && parts.length > 2) {
      group = "";
      i = 2;
    } else if (parts[0].equals("apis") && parts.length > 3) {
      group = parts[1];
      i = 3;
    } else {
      return Optional.empty();
    }
    if (parts[i].equals("namespaces") && parts.length > i + 2) {
      i += 2;
    }
    String resource = parts[i];
    boolean named = parts.length > i + 1;
    if (parts.length > i + 2) {
      resource += "/" + parts[i + 2];
    }
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String verb =
        switch (method) {
          case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase();
        };
    return Optional.of(new Access(verb, group, resource));
  }

  boolean allows(Access access) {
    for (PolicyRule rule : role.getRules()) {
      if (rule.getApiGroups().contains(access.group())
          && rule.getResources().contains(access.resource())
          && rule.getVerbs().contains(access.verb())
          && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty())) {
        return true;
      }
    }
    return false;
  }
}
