package dev.streamloop.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Secrets a query references, as the operator mounts them: key {@code k} of Secret {@code s} is
 * the file {@code <dir>/s/k}. Values are read when a connector is built and handed only to the
 * client libraries, never to logs, progress or the termination message; errors name the Secret, the
 * key and the file, never the contents.
 */
public final class SecretFiles {
  /** Where the operator mounts them in runner pods. */
  public static final Path DEFAULT_DIR = Path.of("/etc/streamloop/secrets");

  private final Path dir;

  public SecretFiles(Path dir) {
    this.dir = dir;
  }

  /** The file that holds {@code key} of Secret {@code secret}; it must exist. */
  public Path path(String field, String secret, String key) throws MissingSecretException {
    Path file = dir.resolve(secret).resolve(key);
    if (!Files.isRegularFile(file)) {
      throw new MissingSecretException(
          field
              + ": key "
              + key
              + " of Secret "
              + secret
              + " is not mounted ("
              + file
              + " is missing): in a cluster, create the Secret in the query's namespace with that"
              + " key, or correct the reference; running the runner alone, write the value to "
              + file
              + " or point --secrets-dir (STREAMLOOP_SECRETS_DIR) at a directory of"
              + " <secret>/<key> files");
    }
    return file;
  }

  /**
   * The value of {@code key} of Secret {@code secret}, as text without its trailing line breaks.
   */
  public String read(String field, String secret, String key) throws MissingSecretException {
    Path file = path(field, secret, key);
    try {
      // a Secret made with echo ends with a line break; spaces may belong to a password
      return Files.readString(file, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
    } catch (IOException e) {
      throw new MissingSecretException(
          field + ": cannot read key " + key + " of Secret " + secret + " (" + file + "): " + e);
    }
  }

  /** A referenced Secret or key is not there. */
  public static final class MissingSecretException extends Exception {
    MissingSecretException(String message) {
      super(message);
    }
  }
}
