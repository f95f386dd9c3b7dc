package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kubelet runs for a container: its image's entry point on this machine ({@link Images})
 * with the container's arguments; the environment a container gets (the API server's address as
 * {@code KUBERNETES_SERVICE_HOST/PORT}, the image's variables, then the container's own with
 * downward-API, Secret and ConfigMap references resolved and {@code $(VAR)} expanded); paths moved
 * into the pod's volumes; and each container port mapped to a free loopback port (the pod network:
 * every pod is 127.0.0.1, so ports cannot be shared).
 */
final class ContainerCommand {
  private static final Pattern FIELD =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");
  private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  /** Where a pod's ServiceAccount token, CA and namespace are mounted. */
  static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  final List<String> command;
  final Map<String, String> env;
  final Map<String, Integer> hostPorts;

  private ContainerCommand(
      List<String> command, Map<String, String> env, Map<String, Integer> hostPorts) {
    this.command = command;
    this.env = env;
    this.hostPorts = hostPorts;
  }

  static ContainerCommand build(
      Pod pod, Container container, PodFiles files, Kubelet.Settings settings)
      throws Images.UnknownImage {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ContainerPort port : nullSafe(container.getPorts())) {
      ports.put(String.valueOf(port.getContainerPort()), freePort());
      if (port.getName() != null) {
        ports.put(port.getName(), ports.get(String.valueOf(port.getContainerPort())));
      }
    }
    Images.Entrypoint image =
        settings.images().entrypoint(container.getImage(), memoryLimit(container), ports);
    Map<String, String> env = new LinkedHashMap<>();
    // what every container sees of its cluster; the API server is 127.0.0.1 here, not a Service
    env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    env.put("KUBERNETES_SERVICE_PORT", String.valueOf(settings.apiServerPort()));
    env.put("HOSTNAME", pod.getMetadata().getName());
    if (files.mounts(SERVICE_ACCOUNT_DIR)) {
      // the fabric8 client reads the in-cluster files from these paths when they are set: the
      // process cannot see the projected volume where a container would
      env.put(
          "KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", files.rewrite(SERVICE_ACCOUNT_DIR + "/token"));
      env.put("KUBERNETES_CERTS_CA_FILE", files.rewrite(SERVICE_ACCOUNT_DIR + "/ca.crt"));
      env.put("KUBENAMESPACE", files.rewrite(SERVICE_ACCOUNT_DIR + "/namespace"));
    }
    // the Secrets' mounts are below this directory: the runner finds them through the pod's root
    env.put("STREAMLOOP_SECRETS_DIR", files.inRoot("/etc/streamloop/secrets").toString());
    env.put("STREAMLOOP_LOCAL_MOUNTS", files.mountTable());
    env.putAll(image.env());
    for (EnvVar var : nullSafe(container.getEnv())) {
      env.put(
          var.getName(), files.rewrite(expand(value(pod, container, var, settings.client()), env)));
    }
    List<String> command = new ArrayList<>(image.command());
    command.add(1, "-Djava.io.tmpdir=" + files.inRoot("/tmp"));
    for (String arg : nullSafe(container.getArgs())) {
      String expanded = files.rewrite(expand(arg, env));
      // an argument naming a container port by number gets the pod's loopback port
      command.add(
          isNumber(expanded) && ports.containsKey(expanded)
              ? String.valueOf(ports.get(expanded))
              : expanded);
    }
    return new ContainerCommand(command, env, ports);
  }

  private static String value(Pod pod, Container container, EnvVar var, KubernetesClient client) {
    if (var.getValueFrom() == null) {
      return var.getValue() == null ? "" : var.getValue();
    }
    var from = var.getValueFrom();
    String ns = pod.getMetadata().getNamespace();
    if (from.getFieldRef() != null) {
      return field(pod, from.getFieldRef().getFieldPath());
    }
    if (from.getResourceFieldRef() != null
        && "limits.memory".equals(from.getResourceFieldRef().getResource())) {
      return String.valueOf(memoryLimit(container)); // in bytes, as the downward API gives it
    }
    if (from.getSecretKeyRef() != null) {
      Secret secret =
          client.secrets().inNamespace(ns).withName(from.getSecretKeyRef().getName()).get();
      String encoded =
          secret == null || secret.getData() == null
              ? null
              : secret.getData().get(from.getSecretKeyRef().getKey());
      return encoded == null
          ? ""
          : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
    if (from.getConfigMapKeyRef() != null) {
      ConfigMap map =
          client.configMaps().inNamespace(ns).withName(from.getConfigMapKeyRef().getName()).get();
      return map == null || map.getData() == null
          ? ""
          : map.getData().getOrDefault(from.getConfigMapKeyRef().getKey(), "");
    }
    return "";
  }

  /** The downward API's field paths. */
  static String field(Pod pod, String path) {
    var meta = pod.getMetadata();
    Matcher keyed = FIELD.matcher(path);
    if (keyed.matches()) {
      Map<String, String> map =
          keyed.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
      return map == null ? "" : map.getOrDefault(keyed.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> meta.getName();
      case "metadata.namespace" -> meta.getNamespace();
      case "metadata.uid" -> meta.getUid();
      case "spec.nodeName" -> pod.getSpec().getNodeName();
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
      case "status.podIP", "status.hostIP" -> "127.0.0.1";
      default -> "";
    };
  }

  private static String expand(String value, Map<String, String> env) {
    Matcher m = VAR.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = env.containsKey(m.group(1)) ? env.get(m.group(1)) : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The container's memory limit in bytes, as a container runtime shows it to the JVM. */
  private static long memoryLimit(Container container) {
    Quantity limit =
        container.getResources() == null || container.getResources().getLimits() == null
            ? null
            : container.getResources().getLimits().get("memory");
    return limit == null ? 512L * 1024 * 1024 : Quantity.getAmountInBytes(limit).longValue();
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
