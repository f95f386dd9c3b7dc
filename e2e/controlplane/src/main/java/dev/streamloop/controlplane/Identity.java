package dev.streamloop.controlplane;

import java.util.List;

/**
 * Who talks to the control plane, each with a static token of its own, so that RBAC and Node
 * authorization judge each one as in a cluster: the admin (kubectl, the tests), the controller
 * manager, the binder (in the scheduler's place) and the one node's kubelet. The operator and the
 * runners are none of these: they use their ServiceAccounts' tokens, as pods do.
 *
 * @param user The user name the API server sees.
 * @param groups Its groups.
 */
public record Identity(String user, List<String> groups) {
  /** Cluster admin (system:masters): kubectl as a user with every right, and the tests. */
  public static final Identity ADMIN = new Identity("admin", List.of("system:masters"));

  /** kube-controller-manager, with its bootstrap ClusterRole (not system:masters). */
  public static final Identity CONTROLLER_MANAGER =
      new Identity("system:kube-controller-manager", List.of());

  /** What binds pods to the node, with the scheduler's bootstrap ClusterRole. */
  public static final Identity SCHEDULER = new Identity("system:kube-scheduler", List.of());

  /** The kubelet of node {@value ControlPlane#NODE}, authorized by the Node authorizer. */
  public static final Identity NODE =
      new Identity("system:node:" + ControlPlane.NODE, List.of("system:nodes"));

  static final List<Identity> ALL = List.of(ADMIN, CONTROLLER_MANAGER, SCHEDULER, NODE);

  /** A file name for this identity's kubeconfig. */
  String fileName() {
    return user.replaceAll("[^A-Za-z0-9-]", "-") + ".kubeconfig";
  }
}
