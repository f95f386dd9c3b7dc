package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * Overrides for the runner pods: a curated part of the pod spec. The operator always sets the
 * restricted pod security context (non-root, read-only root filesystem, no privilege escalation,
 * all capabilities dropped), the checkpoint volume and the spec snapshot.
 *
 * @param image The runner image. Unset: the image the operator was installed with.
 * @param imagePullPolicy When the kubelet pulls the image.
 * @param imagePullSecrets Secrets for pulling the image from a private registry.
 * @param resources CPU and memory requests and limits of the runner container. Changing them
 *     restarts the runners from their checkpoint.
 * @param env Extra environment variables of the runner container, such as JAVA_TOOL_OPTIONS.
 * @param volumes Volumes mounted into the runner, for file sources, file sinks and dead letters.
 * @param nodeSelector Node labels the runner pods must match.
 * @param tolerations Taints the runner pods tolerate.
 * @param affinity Node and pod affinity of the runner pods.
 * @param serviceAccountName Run the pods as this ServiceAccount instead of the one the operator
 *     creates per query (for example, for cloud workload identity). The operator binds the runner's
 *     Role (read its own StreamingQuery, patch its status) to it.
 * @param priorityClassName The PriorityClass of the runner pods.
 * @param podLabels Extra labels of the runner pods.
 * @param podAnnotations Extra annotations of the runner pods (for example, for a service mesh).
 * @param terminationGracePeriodSeconds How long a stopping runner may take to finish the batch in
 *     flight and commit it before it is killed; the batch is then re-run on restart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunnerSpec(
    @Size(min = 1, max = 512) String image,
    @Default("IfNotPresent") PullPolicy imagePullPolicy,
    @Size(max = 16) List<LocalObjectReference> imagePullSecrets,
    ResourceRequirements resources,
    @Size(max = 128) List<EnvVar> env,
    @Size(max = 32)
        @ValidationRule(
            value = "self.all(v, self.exists_one(w, w.name == v.name))",
            message = "volume names must be unique; rename one of the duplicates",
            reason = "FieldValueInvalid")
        @ValidationRule(
            value = "self.all(v, self.exists_one(w, w.mountPath == v.mountPath))",
            message = "each volume needs its own mountPath; change one of the duplicates",
            reason = "FieldValueInvalid")
        @ValidationRule(
            value = "self.all(v, self.all(w, !w.mountPath.startsWith(v.mountPath + '/')))",
            message =
                "volumes must not be mounted inside one another (a data volume would hide what is"
                    + " mounted under it): give each its own path, such as /data and /lookup",
            reason = "FieldValueForbidden")
        List<RunnerVolume> volumes,
    Map<String, String> nodeSelector,
    @Size(max = 64) List<Toleration> tolerations,
    Affinity affinity,
    @Pattern(Formats.OBJECT_NAME) String serviceAccountName,
    @Size(max = 253) String priorityClassName,
    Map<String, String> podLabels,
    Map<String, String> podAnnotations,
    @Default("60") @Min(0) @Max(86400) Long terminationGracePeriodSeconds) {

  /** The kubelet's image pull policies. */
  public enum PullPolicy {
    Always,
    IfNotPresent,
    Never
  }
}
