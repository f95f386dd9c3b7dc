package dev.streamloop.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The API server's audit log (JSON lines, one per request at the Metadata level): how a test proves
 * that RBAC refused nothing a component needs. A 403 would otherwise only be a line in the
 * component's log, and a missing verb in a Role a silent failure.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  AuditLog(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /**
   * Every request the API server refused with 403 to a user {@code users} accepts, as {@code user
   * verb resource[/subresource] [namespace/]name}.
   */
  public List<String> forbidden(Predicate<String> users) {
    List<String> refused = new ArrayList<>();
    if (!Files.exists(file)) {
      return refused;
    }
    try (var lines = Files.lines(file)) {
      lines.forEach(
          line -> {
            JsonNode event = parse(line);
            String user = event.path("user").path("username").asText();
            if (event.path("responseStatus").path("code").asInt() == 403 && users.test(user)) {
              JsonNode target = event.path("objectRef");
              String resource =
                  target.path("resource").asText()
                      + (target.hasNonNull("subresource")
                          ? "/" + target.path("subresource").asText()
                          : "");
              String name =
                  (target.hasNonNull("namespace") ? target.path("namespace").asText() + "/" : "")
                      + target.path("name").asText("");
              refused.add(
                  user
                      + " "
                      + event.path("verb").asText()
                      + " "
                      + (resource.isEmpty() ? event.path("requestURI").asText() : resource)
                      + " "
                      + name);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return refused;
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("not an audit event: " + line, e);
    }
  }
}
