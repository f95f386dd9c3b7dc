package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How a runner connects to Kafka. Secrets are read by the runner; they never appear in status,
 * events or logs.
 *
 * @param protocol Kafka's security.protocol.
 * @param tls Certificates for SSL and SASL_SSL.
 * @param sasl Credentials for SASL_PLAINTEXT and SASL_SSL.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.sasl) == (self.protocol == 'SASL_PLAINTEXT' || self.protocol == 'SASL_SSL')",
    message = "sasl is required with protocol SASL_PLAINTEXT or SASL_SSL, and only with them",
    fieldPath = ".sasl",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.tls) || self.protocol == 'SSL' || self.protocol == 'SASL_SSL'",
    message = "tls applies only with protocol SSL or SASL_SSL: change protocol or remove tls",
    fieldPath = ".tls",
    reason = "FieldValueForbidden")
public record KafkaSecurity(@Default("PLAINTEXT") Protocol protocol, TlsSpec tls, SaslSpec sasl) {

  /** Kafka's security.protocol values. */
  public enum Protocol {
    PLAINTEXT,
    SSL,
    SASL_PLAINTEXT,
    SASL_SSL
  }

  /**
   * SASL credentials from a Secret.
   *
   * @param mechanism Kafka's sasl.mechanism.
   * @param credentials The Secret that holds the user name and password.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SaslSpec(
      @Default("SCRAM-SHA-512") Mechanism mechanism,
      @io.fabric8.generator.annotation.Required BasicAuthSecret credentials) {}

  /** Kafka's sasl.mechanism values. */
  public enum Mechanism {
    @JsonProperty("PLAIN")
    PLAIN,
    @JsonProperty("SCRAM-SHA-256")
    SCRAM_SHA_256,
    @JsonProperty("SCRAM-SHA-512")
    SCRAM_SHA_512
  }
}
