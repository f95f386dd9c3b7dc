package dev.streamloop.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamloop.engine.RecentProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The runner's one HTTP port: {@code /progress} (recent progress, newest last), {@code /healthz}
 * (503 once the loop has failed, while the runner writes its termination log), {@code /readyz} (the
 * loop started and is not waiting for an unavailable source or sink; 503 says why) and {@code
 * /metrics} (Prometheus).
 */
final class RunnerHttpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;

  RunnerHttpServer(
      int port,
      RecentProgress progress,
      Supplier<String> metrics,
      BooleanSupplier healthy,
      BooleanSupplier ready,
      Supplier<String> unavailable)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext(
        "/progress",
        ex -> send(ex, 200, "application/json", JSON.writeValueAsString(progress.all())));
    server.createContext(
        "/healthz",
        ex -> {
          String retrying = unavailable.get();
          send(
              ex,
              healthy.getAsBoolean() ? 200 : 503,
              "text/plain",
              retrying == null ? "ok\n" : "ok; retrying " + retrying + "\n");
        });
    server.createContext(
        "/readyz",
        ex -> {
          String retrying = unavailable.get();
          if (retrying != null) {
            send(ex, 503, "text/plain", "retrying " + retrying + "\n");
          } else {
            send(ex, ready.getAsBoolean() ? 200 : 503, "text/plain", "ok\n");
          }
        });
    server.createContext(
        "/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4", metrics.get()));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
