package dev.streamloop.e2e.cluster;

import dev.streamloop.controlplane.ControlPlane;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The node as its kubelet keeps it: the Node object (labels, capacity, a Ready condition, the
 * loopback address), registered at start, and its Lease in {@code kube-node-lease}, renewed every
 * {@value #RENEW_SECONDS} s. Without the renewals the node-lifecycle controller would mark the node
 * NotReady within its grace period and evict the pods; without the Node, pod garbage collection
 * would delete every pod bound to it.
 */
final class NodeStatus {
  static final int RENEW_SECONDS = 10;
  private static final String LEASE_NAMESPACE = "kube-node-lease";

  private final KubernetesClient client;

  NodeStatus(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the Node (or takes over one of an earlier run) and reports it Ready. */
  void register() {
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(ControlPlane.NODE)
            .withLabels(
                Map.of(
                    "kubernetes.io/hostname", ControlPlane.NODE,
                    "kubernetes.io/os", "linux",
                    "kubernetes.io/arch", "amd64"))
            .endMetadata()
            .build();
    try {
      client.nodes().resource(node).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    String now = now();
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity(String.valueOf(Runtime.getRuntime().availableProcessors())),
            "memory", new Quantity(memoryMi() + "Mi"),
            "pods", new Quantity("110"));
    // a merge patch with no resourceVersion: the node controller may have written the Node
    // (its taints) since it was created
    var status =
        new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
            .withCapacity(capacity)
            .withAllocatable(capacity)
            .withConditions(
                condition("Ready", "True", "KubeletReady", "the local kubelet is ready", now),
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "", now),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "", now),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "", now))
            .withAddresses(
                List.of(
                    new io.fabric8.kubernetes.api.model.NodeAddress("127.0.0.1", "InternalIP"),
                    new io.fabric8.kubernetes.api.model.NodeAddress(ControlPlane.NODE, "Hostname")))
            .withNewNodeInfo()
            .withKubeletVersion("v1.35.4-streamloop-local")
            .withOperatingSystem("linux")
            .withArchitecture("amd64")
            .withContainerRuntimeVersion("process://")
            .withOsImage("local processes")
            .withKernelVersion(System.getProperty("os.version"))
            .withMachineID("")
            .withSystemUUID("")
            .withBootID("")
            .withKubeProxyVersion("")
            .endNodeInfo()
            .build();
    client
        .nodes()
        .withName(ControlPlane.NODE)
        .subresource("status")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                .asJson(Map.of("status", status)));
    renew();
  }

  /** Renews the node's Lease (creating it the first time), as the kubelet's heartbeat. */
  void renew() {
    Node node = client.nodes().withName(ControlPlane.NODE).get();
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(ControlPlane.NODE)
            .withNamespace(LEASE_NAMESPACE)
            .addNewOwnerReference()
            .withApiVersion("v1")
            .withKind("Node")
            .withName(ControlPlane.NODE)
            .withUid(node.getMetadata().getUid())
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(ControlPlane.NODE)
            .withLeaseDurationSeconds(40)
            .withRenewTime(ZonedDateTime.now())
            .endSpec()
            .build();
    var existing = client.leases().inNamespace(LEASE_NAMESPACE).withName(ControlPlane.NODE).get();
    if (existing == null) {
      client.leases().resource(lease).create();
    } else {
      existing.getSpec().setRenewTime(ZonedDateTime.now());
      client.leases().resource(existing).update();
    }
  }

  private static NodeCondition condition(
      String type, String status, String reason, String message, String now) {
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  private static long memoryMi() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean machine
        ? machine.getTotalMemorySize() >> 20
        : 8192;
  }

  private static String now() {
    return ZonedDateTime.now().format(DateTimeFormatter.ISO_INSTANT);
  }
}
