package dev.streamloop.e2e.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A container's readiness and liveness probes (HTTP GET only, which is what the runner declares).
 * They run at most every second, however long their {@code periodSeconds}, so that the local
 * cluster reacts in seconds; thresholds count as declared.
 */
final class Probes {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  enum Verdict {
    OK,
    KILL
  }

  private final Probe readiness;
  private final Probe liveness;
  private final Map<String, Integer> hostPorts;
  private Instant next;
  private boolean ready;
  private int readinessFailures;
  private int livenessFailures;

  Probes(Container container, Map<String, Integer> hostPorts, Instant started) {
    this.readiness = container.getReadinessProbe();
    this.liveness = container.getLivenessProbe();
    this.hostPorts = hostPorts;
    this.next = started.plusMillis(200);
    this.ready = readiness == null; // without a probe, a running container is ready
  }

  boolean ready() {
    return ready;
  }

  Verdict tick(Instant now) {
    if (now.isBefore(next)) {
      return Verdict.OK;
    }
    next = now.plusMillis(ready ? 1000 : 250);
    if (readiness != null) {
      if (passes(readiness)) {
        readinessFailures = 0;
        ready = true;
      } else if (++readinessFailures >= threshold(readiness, 3)) {
        ready = false;
      }
    }
    if (liveness != null) {
      // liveness counts only once the container has been ready once (as initialDelaySeconds would)
      if (passes(liveness) || !ready) {
        livenessFailures = 0;
      } else if (++livenessFailures >= threshold(liveness, 3)) {
        return Verdict.KILL;
      }
    }
    return Verdict.OK;
  }

  private boolean passes(Probe probe) {
    if (probe.getHttpGet() == null) {
      return true;
    }
    var get = probe.getHttpGet();
    String port =
        get.getPort().getStrVal() != null
            ? get.getPort().getStrVal()
            : String.valueOf(get.getPort().getIntVal());
    Integer hostPort = hostPorts.get(port);
    if (hostPort == null) {
      return false;
    }
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + get.getPath()))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() >= 200 && response.statusCode() < 400;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int threshold(Probe probe, int fallback) {
    return probe.getFailureThreshold() == null ? fallback : probe.getFailureThreshold();
  }
}
