package dev.streamloop.runner;

/**
 * A file source's directory does not exist when the runner starts (Spark's "Path does not exist").
 * The query fails (exit 1): the directory may appear, as when an upstream query has not written
 * yet, so the restart policy retries it.
 */
final class SourcePathNotFoundException extends RuntimeException {
  SourcePathNotFoundException(String message) {
    super(message);
  }
}
