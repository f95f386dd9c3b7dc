package dev.streamloop.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.streamloop.engine.RecentProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The runner's one HTTP port: {@code /progress} (recent progress, newest last), {@code /healthz}
 * (503 once the loop has failed, while the runner writes its termination log), {@code /readyz} (the
 * loop started and is not waiting for an unavailable source or sink; 503 says why) and {@code
 * /metrics} (Prometheus). Read-only: GET and HEAD on those exact paths, nothing else.
 *
 * <p>It listens on every address (the kubelet's probes and Prometheus reach the pod's IP). Requests
 * are served by a small pool of threads, and a connection that has not sent its whole request
 * within {@value #REQUEST_SECONDS} seconds is closed: one client that sends half a request and
 * waits can no longer stall the probes until liveness restarts the pod.
 */
final class RunnerHttpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int REQUEST_SECONDS = 5;
  private static final int THREADS = 8;

  static {
    // the JDK server reads these once, when its first instance is made; a value given on the
    // command line (-D) wins
    setIfAbsent("sun.net.httpserver.maxReqTime", String.valueOf(REQUEST_SECONDS));
    setIfAbsent("sun.net.httpserver.maxRspTime", "30");
  }

  private final HttpServer server;
  private final ExecutorService workers;

  RunnerHttpServer(
      int port,
      RecentProgress progress,
      Supplier<String> metrics,
      BooleanSupplier healthy,
      BooleanSupplier ready,
      Supplier<String> unavailable)
      throws IOException {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 64);
    } catch (BindException e) {
      throw new BindException(
          "cannot serve HTTP on port "
              + port
              + ": "
              + e.getMessage()
              + "; give --http-port a free port (0 picks one)");
    }
    route(
        "/progress",
        ex -> send(ex, 200, "application/json", JSON.writeValueAsString(progress.all())));
    route(
        "/healthz",
        ex -> {
          String retrying = unavailable.get();
          send(
              ex,
              healthy.getAsBoolean() ? 200 : 503,
              "text/plain",
              retrying == null ? "ok\n" : "ok; retrying " + retrying + "\n");
        });
    route(
        "/readyz",
        ex -> {
          String retrying = unavailable.get();
          if (retrying != null) {
            send(ex, 503, "text/plain", "retrying " + retrying + "\n");
          } else {
            send(ex, ready.getAsBoolean() ? 200 : 503, "text/plain", "ok\n");
          }
        });
    route("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4", metrics.get()));
    AtomicInteger threads = new AtomicInteger();
    workers =
        Executors.newFixedThreadPool(
            THREADS,
            task -> {
              Thread thread = new Thread(task, "http-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(workers);
    server.start();
  }

  /** Serves {@code path} exactly (the JDK matches contexts by prefix), to GET and HEAD only. */
  private void route(String path, HttpHandler handler) {
    server.createContext(
        path,
        ex -> {
          try {
            if (!ex.getRequestURI().getPath().equals(path)) {
              send(ex, 404, "text/plain", "not found; the paths are " + PATHS + "\n");
            } else if (!ex.getRequestMethod().equals("GET")
                && !ex.getRequestMethod().equals("HEAD")) {
              ex.getResponseHeaders().set("Allow", "GET, HEAD");
              send(ex, 405, "text/plain", "read-only: use GET\n");
            } else {
              handler.handle(ex);
            }
          } finally {
            ex.close();
          }
        });
  }

  private static final String PATHS = "/progress, /healthz, /readyz and /metrics";

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
