package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.NFSVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;

/**
 * A volume mounted into the runner container: exactly one of persistentVolumeClaim, emptyDir,
 * configMap, secret or nfs.
 *
 * @param name The volume's name in the pod.
 * @param mountPath Where the volume appears in the runner, an absolute path outside /streamloop
 *     (the checkpoint and the spec snapshot) and /tmp.
 * @param subPath A sub-directory of the volume to mount instead of its root.
 * @param readOnly Mount read-only (for file sources).
 * @param persistentVolumeClaim An existing PersistentVolumeClaim.
 * @param emptyDir A scratch directory that lives as long as the pod.
 * @param configMap A ConfigMap's keys as files.
 * @param secret A Secret's keys as files.
 * @param nfs An NFS export.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.persistentVolumeClaim) ? 1 : 0) + (has(self.emptyDir) ? 1 : 0) +"
            + " (has(self.configMap) ? 1 : 0) + (has(self.secret) ? 1 : 0) + (has(self.nfs) ? 1 :"
            + " 0) == 1",
    message =
        "a volume is exactly one of persistentVolumeClaim, emptyDir, configMap, secret or nfs: set"
            + " one of them, and only one",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!(self.mountPath == '/streamloop' || self.mountPath.startsWith('/streamloop/') ||"
            + " self.mountPath == '/tmp' || self.mountPath == '/')",
    message = "mountPath must not be /, /tmp or under /streamloop (reserved); choose another path",
    fieldPath = ".mountPath",
    reason = "FieldValueForbidden")
public record RunnerVolume(
    @Required @Pattern(Formats.DNS_LABEL) @Size(max = 63) String name,
    @Required @Pattern(Formats.ABSOLUTE_PATH) @Size(max = 1024) String mountPath,
    @Size(max = 1024) String subPath,
    @Default("false") Boolean readOnly,
    PersistentVolumeClaimVolumeSource persistentVolumeClaim,
    EmptyDirVolumeSource emptyDir,
    ConfigMapVolumeSource configMap,
    SecretVolumeSource secret,
    NFSVolumeSource nfs) {}
