package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A projected volume's files, as a kubelet writes them: a ServiceAccount token from the
 * TokenRequest API, bound to the pod (so it dies with it), and ConfigMap, Secret and downward-API
 * items. The ServiceAccount admission plugin gives every pod one ({@code kube-api-access-*}: token,
 * ca.crt from the kube-root-ca.crt ConfigMap, namespace), which is how the operator and the runners
 * authenticate as their own ServiceAccounts.
 */
final class Projection {
  private Projection() {}

  static void write(Path dir, Pod pod, ProjectedVolumeSource projected, KubernetesClient client)
      throws IOException, PodFiles.NotReady {
    String ns = pod.getMetadata().getNamespace();
    for (VolumeProjection source : projected.getSources()) {
      if (source.getServiceAccountToken() != null) {
        var spec = source.getServiceAccountToken();
        TokenRequest request =
            new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(spec.getAudience() == null ? List.of() : List.of(spec.getAudience()))
                .withExpirationSeconds(spec.getExpirationSeconds())
                .withNewBoundObjectRef()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .endBoundObjectRef()
                .endSpec()
                .build();
        String serviceAccount =
            pod.getSpec().getServiceAccountName() == null
                ? "default"
                : pod.getSpec().getServiceAccountName();
        TokenRequest issued =
            client.serviceAccounts().inNamespace(ns).withName(serviceAccount).tokenRequest(request);
        Path file = dir.resolve(spec.getPath());
        Files.createDirectories(file.getParent());
        Files.writeString(file, issued.getStatus().getToken());
      }
      if (source.getConfigMap() != null) {
        var ref = source.getConfigMap();
        ConfigMap map = client.configMaps().inNamespace(ns).withName(ref.getName()).get();
        if (map == null && !Boolean.TRUE.equals(ref.getOptional())) {
          throw new PodFiles.NotReady("configmap \"" + ref.getName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (map != null && map.getData() != null) {
          map.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        PodFiles.write(dir, data, ref.getItems());
      }
      if (source.getSecret() != null) {
        var ref = source.getSecret();
        Secret secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
        if (secret == null && !Boolean.TRUE.equals(ref.getOptional())) {
          throw new PodFiles.NotReady("secret \"" + ref.getName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret != null && secret.getData() != null) {
          secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        PodFiles.write(dir, data, ref.getItems());
      }
      if (source.getDownwardAPI() != null) {
        for (var item : source.getDownwardAPI().getItems()) {
          if (item.getFieldRef() != null) {
            Path file = dir.resolve(item.getPath());
            Files.createDirectories(file.getParent());
            Files.writeString(file, ContainerCommand.field(pod, item.getFieldRef().getFieldPath()));
          }
        }
      }
    }
  }
}
