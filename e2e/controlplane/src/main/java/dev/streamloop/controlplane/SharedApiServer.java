package dev.streamloop.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real API server (etcd and kube-apiserver, no controllers) per test JVM, with the repository's
 * CRD applied as users apply it ({@code kubectl apply -f crds/}), for tests whose subject depends
 * on API semantics: schema, defaulting and CEL rules, optimistic concurrency, patch semantics,
 * server-side apply, status subresources. Tests play the controllers by writing statuses, each in a
 * namespace of its own. Stopped when the JVM ends.
 */
public final class SharedApiServer {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static ControlPlane plane;

  private SharedApiServer() {}

  /** The API server of the repository at {@code root}, started on first use. */
  public static synchronized ControlPlane get(Path root) {
    if (plane == null) {
      try {
        Path dir = Files.createTempDirectory("streamloop-api-server-");
        plane = ControlPlane.start(root, dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(plane::close));
      Kubectl.Result apply = plane.kubectl("apply", "-f", root.resolve("crds").toString());
      if (apply.exitCode() != 0) {
        throw new IllegalStateException("kubectl apply -f crds/ failed: " + apply.output());
      }
      awaitEstablished(Duration.ofSeconds(60));
    }
    return plane;
  }

  /** A new namespace named {@code prefix-N} (created with kubectl). */
  public static String namespace(ControlPlane plane, String prefix) {
    String name = prefix + "-" + NAMESPACES.incrementAndGet();
    Kubectl.Result created = plane.kubectl("create", "namespace", name);
    if (created.exitCode() != 0) {
      throw new IllegalStateException("kubectl create namespace failed: " + created.output());
    }
    return name;
  }

  /** kubectl wait fails at once while a new CRD has no status yet: ask again until it is. */
  private static void awaitEstablished(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Kubectl.Result result;
    do {
      result =
          plane.kubectl(
              "wait",
              "--for=condition=Established",
              "--timeout=" + timeout.toSeconds() + "s",
              "crd/streamingqueries.streamloop.dev");
      if (result.exitCode() == 0) {
        return;
      }
      try {
        Thread.sleep(200); // the pause between asking kubectl again, with a deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException("the CRD was not established: " + result.output());
  }
}
