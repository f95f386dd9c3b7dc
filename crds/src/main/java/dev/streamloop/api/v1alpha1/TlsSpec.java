package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;

/**
 * TLS settings with certificates from Secrets.
 *
 * @param caCertificate The CA certificate (PEM) that signed the server's certificate. Unset: the
 *     runner image's trust store.
 * @param clientCertificateSecret A Secret of type kubernetes.io/tls (keys tls.crt and tls.key) for
 *     mutual TLS.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TlsSpec(
    SecretKeySelector caCertificate,
    @Pattern(Formats.OBJECT_NAME) String clientCertificateSecret) {}
