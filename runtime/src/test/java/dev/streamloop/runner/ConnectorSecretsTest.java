package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.api.v1alpha1.BasicAuthSecret;
import dev.streamloop.api.v1alpha1.JdbcSinkSpec;
import dev.streamloop.api.v1alpha1.KafkaSecurity;
import dev.streamloop.api.v1alpha1.SecretKeySelector;
import dev.streamloop.api.v1alpha1.TlsSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connector credentials from mounted Secret files: used by the clients, never shown. */
class ConnectorSecretsTest {
  private static final String PASSWORD = "s3cr\"t\\pw";

  @TempDir Path dir;

  private SecretFiles secrets() throws Exception {
    Files.createDirectories(dir.resolve("kafka-user"));
    Files.writeString(dir.resolve("kafka-user/username"), "alice\n");
    Files.writeString(dir.resolve("kafka-user/password"), PASSWORD);
    Files.createDirectories(dir.resolve("kafka-ca"));
    Files.writeString(dir.resolve("kafka-ca/ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    return new SecretFiles(dir);
  }

  @Test
  void saslSslSettingsComeFromTheSecretsAndKafkaHidesThemInItsConfigDump() throws Exception {
    KafkaSecurity security =
        new KafkaSecurity(
            KafkaSecurity.Protocol.SASL_SSL,
            new TlsSpec(new SecretKeySelector("kafka-ca", "ca.crt"), null),
            new KafkaSecurity.SaslSpec(
                KafkaSecurity.Mechanism.SCRAM_SHA_256,
                new BasicAuthSecret("kafka-user", null, null)));

    Map<String, Object> properties =
        KafkaClientProperties.of(security, "spec.sinks[0].kafka.security", secrets());

    assertThat(properties)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.location", dir.resolve("kafka-ca/ca.crt").toString())
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"alice\" password=\"s3cr\\\"t\\\\pw\";");
    Map<String, Object> producer = new HashMap<>(properties);
    producer.put("bootstrap.servers", "localhost:9092");
    producer.put("key.serializer", ByteArraySerializer.class);
    producer.put("value.serializer", ByteArraySerializer.class);
    String dump = new ProducerConfig(producer).values().toString();
    assertThat(dump).contains("sasl.jaas.config=[hidden]").doesNotContain("s3cr");
  }

  @Test
  void aMissingSecretKeyIsNamedWithTheFieldAndTheFixAndNoValue() throws Exception {
    JdbcSinkSpec jdbc =
        new JdbcSinkSpec(
            "jdbc:postgresql://db/x",
            "t",
            null,
            new BasicAuthSecret("kafka-user", "username", "pass"),
            null,
            null);

    assertThatThrownBy(
            () -> Sinks.connectionProperties(jdbc, "spec.sinks[1].jdbc", "out", secrets()))
        .isInstanceOf(SecretFiles.MissingSecretException.class)
        .hasMessageContaining("spec.sinks[1].jdbc.credentials: key pass of Secret kafka-user")
        .hasMessageContaining("create the Secret in the query's namespace with that key")
        .hasMessageNotContaining("alice");
  }

  @Test
  void postgresCredentialsAndTlsGoToTheDriverProperties() throws Exception {
    JdbcSinkSpec jdbc =
        new JdbcSinkSpec(
            "jdbc:postgresql://db/x",
            "t",
            null,
            new BasicAuthSecret("kafka-user", null, null),
            JdbcSinkSpec.SslMode.VERIFY_FULL,
            new SecretKeySelector("kafka-ca", "ca.crt"));

    Properties properties =
        Sinks.connectionProperties(jdbc, "spec.sinks[0].jdbc", "out", secrets());

    assertThat(properties)
        .containsEntry("user", "alice")
        .containsEntry("password", PASSWORD)
        .containsEntry("sslmode", "verify-full")
        .containsEntry("sslrootcert", dir.resolve("kafka-ca/ca.crt").toString());
  }
}
