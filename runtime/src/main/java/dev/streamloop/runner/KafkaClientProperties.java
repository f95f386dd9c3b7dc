package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.KafkaSecurity;
import java.util.HashMap;
import java.util.Map;

/**
 * Kafka client settings for a source's or sink's {@code security}: the protocol, PEM certificates
 * (Kafka reads PEM trust stores from a file and key pairs from values) and a SASL JAAS line. The
 * secret values go into settings Kafka types as passwords, which its config logging hides.
 */
final class KafkaClientProperties {
  private KafkaClientProperties() {}

  static Map<String, Object> of(KafkaSecurity security, String field, SecretFiles secrets)
      throws SecretFiles.MissingSecretException {
    Map<String, Object> properties = new HashMap<>();
    if (security == null) {
      return properties;
    }
    KafkaSecurity.Protocol protocol =
        security.protocol() == null ? KafkaSecurity.Protocol.PLAINTEXT : security.protocol();
    properties.put("security.protocol", protocol.name());
    if (security.tls() != null && security.tls().caCertificate() != null) {
      properties.put("ssl.truststore.type", "PEM");
      properties.put(
          "ssl.truststore.location",
          secrets
              .path(
                  field + ".tls.caCertificate",
                  security.tls().caCertificate().name(),
                  security.tls().caCertificate().key())
              .toString());
    }
    if (security.tls() != null && security.tls().clientCertificateSecret() != null) {
      String secret = security.tls().clientCertificateSecret();
      String certField = field + ".tls.clientCertificateSecret";
      properties.put("ssl.keystore.type", "PEM");
      properties.put("ssl.keystore.certificate.chain", secrets.read(certField, secret, "tls.crt"));
      properties.put("ssl.keystore.key", secrets.read(certField, secret, "tls.key"));
    }
    if (security.sasl() != null) {
      KafkaSecurity.SaslSpec sasl = security.sasl();
      KafkaSecurity.Mechanism mechanism =
          sasl.mechanism() == null ? KafkaSecurity.Mechanism.SCRAM_SHA_512 : sasl.mechanism();
      String credentials = field + ".sasl.credentials";
      String user =
          secrets.read(
              credentials,
              sasl.credentials().secretName(),
              sasl.credentials().usernameKeyOrDefault());
      String password =
          secrets.read(
              credentials,
              sasl.credentials().secretName(),
              sasl.credentials().passwordKeyOrDefault());
      properties.put("sasl.mechanism", mechanism.name().replace('_', '-'));
      properties.put("sasl.jaas.config", jaas(mechanism, user, password));
    }
    return properties;
  }

  private static String jaas(KafkaSecurity.Mechanism mechanism, String user, String password) {
    String module =
        mechanism == KafkaSecurity.Mechanism.PLAIN
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module
        + " required username=\""
        + quoted(user)
        + "\" password=\""
        + quoted(password)
        + "\";";
  }

  /** JAAS quoted-string escaping: a backslash or a double quote is preceded by a backslash. */
  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
