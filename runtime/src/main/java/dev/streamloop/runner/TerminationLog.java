package dev.streamloop.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes why the runner ended to the container's termination log (at most 4 KiB, Kubernetes'
 * limit), so the operator can read it from a finished pod's status.
 */
final class TerminationLog {
  static final int LIMIT = 4096;

  private final Path file;

  TerminationLog(Path file) {
    this.file = file;
  }

  void write(String message) {
    if (file == null) {
      return;
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > LIMIT) {
      String cut = new String(bytes, 0, LIMIT - 3, StandardCharsets.UTF_8);
      bytes =
          (cut.substring(0, Math.max(0, cut.length() - 1)) + "...")
              .getBytes(StandardCharsets.UTF_8);
    }
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      // not in a container, or not writable: the message is on stderr as well
    }
  }
}
