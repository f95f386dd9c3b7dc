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
 * @param mountPath Where the volume appears in the runner: a normalised absolute path, neither
 *     holding nor under the paths the runner reserves (/streamloop for the checkpoint and the spec
 *     snapshot, /tmp, /etc/streamloop for the connectors' Secrets, the service-account token's
 *     /var/run/secrets, /proc, /sys, /dev). File sources, file sinks and dead letters must be on a
 *     persistentVolumeClaim, emptyDir or nfs volume; configMap and secret volumes are for the
 *     runner's own use (JAVA_TOOL_OPTIONS, trust stores), never read as data.
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
        "['/streamloop', '/tmp', '/etc/streamloop', '/var/run/secrets', '/run/secrets', '/proc',"
            + " '/sys', '/dev'].all(r, self.mountPath != r && !self.mountPath.startsWith(r + '/')"
            + " && !r.startsWith(self.mountPath + '/'))",
    message =
        "mountPath must not be, hold or lie under a path the runner reserves (/streamloop, /tmp,"
            + " /etc/streamloop, /var/run/secrets, /run/secrets, /proc, /sys, /dev): choose"
            + " another path, such as /data",
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
