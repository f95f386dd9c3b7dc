package dev.streamloop.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The control plane's secrets, fresh for every start: the service-account signing key, a static
 * token per {@link Identity} (the API server's token file) and a kubeconfig per identity. The
 * serving certificate is the API server's own, self-signed into {@code pki/} at its start.
 */
final class Credentials {
  private final Path dir;
  private final Map<Identity, String> tokens = new LinkedHashMap<>();

  Credentials(Path dir) {
    this.dir = dir;
    Identity.ALL.forEach(identity -> tokens.put(identity, UUID.randomUUID().toString()));
  }

  /** Writes the key and the token file; kubeconfigs come once the port is known. */
  void write() {
    try {
      Files.createDirectories(pki());
      Files.writeString(serviceAccountKey(), privateKeyPem());
      StringBuilder csv = new StringBuilder();
      tokens.forEach(
          (identity, token) ->
              csv.append(token)
                  .append(',')
                  .append(identity.user())
                  .append(',')
                  .append(identity.user())
                  .append(
                      identity.groups().isEmpty()
                          ? ""
                          : ",\"" + String.join(",", identity.groups()) + "\"")
                  .append('\n'));
      Files.writeString(tokenFile(), csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void writeKubeconfigs(String url) {
    tokens.forEach(
        (identity, token) -> {
          String yaml =
              """
              apiVersion: v1
              kind: Config
              clusters:
                - name: local
                  cluster: {server: "%s", certificate-authority: "%s"}
              users:
                - name: "%s"
                  user: {token: "%s"}
              contexts:
                - name: local
                  context: {cluster: local, user: "%s", namespace: default}
              current-context: local
              """
                  .formatted(url, caFile(), identity.user(), token, identity.user());
          try {
            Files.writeString(kubeconfig(identity), yaml);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  String token(Identity identity) {
    return tokens.get(identity);
  }

  Path pki() {
    return dir.resolve("pki");
  }

  /** The API server's self-signed serving certificate, which is also its CA. */
  Path caFile() {
    return pki().resolve("apiserver.crt");
  }

  Path serviceAccountKey() {
    return pki().resolve("sa.key");
  }

  Path tokenFile() {
    return dir.resolve("tokens.csv");
  }

  Path kubeconfig(Identity identity) {
    return dir.resolve(identity.fileName());
  }

  private static String privateKeyPem() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(pkcs8)
          + "\n-----END PRIVATE KEY-----\n";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
