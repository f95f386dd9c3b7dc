package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.engine.RecentProgress;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's HTTP port under clients that misbehave (probe X-03) and requests it does not serve.
 */
class RunnerHttpServerTest {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private RunnerHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        new RunnerHttpServer(
            0,
            new RecentProgress(10),
            () -> "streamloop_batch_id 3\n",
            () -> true,
            () -> true,
            () -> null);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void halfSentRequestsDoNotStallTheProbes() throws Exception {
    Socket[] stalled = new Socket[3];
    try {
      for (int i = 0; i < stalled.length; i++) {
        stalled[i] = new Socket("127.0.0.1", server.port());
        OutputStream out = stalled[i].getOutputStream();
        out.write("GET /hea".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }

      // one stalled client used to block every endpoint for as long as it stayed connected
      HttpResponse<String> health = send("GET", "/healthz");

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(send("GET", "/metrics").body()).contains("streamloop_batch_id 3");
    } finally {
      for (Socket socket : stalled) {
        if (socket != null) {
          socket.close();
        }
      }
    }
  }

  @Test
  void aClientThatNeverFinishesItsRequestIsDisconnected() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes());
      socket.getOutputStream().flush();
      socket.setSoTimeout((RunnerHttpServer.REQUEST_SECONDS + 10) * 1000);

      int read;
      try {
        read = socket.getInputStream().read();
      } catch (SocketException reset) {
        read = -1;
      }

      // the server closes the connection (end of stream or a reset), well before the read timeout
      assertThat(read).isEqualTo(-1);
    }
  }

  @Test
  void onlyTheExactPathsAndReadsAreServed() throws Exception {
    assertThat(send("GET", "/healthzXYZ").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/metricsfoo").statusCode()).isEqualTo(404);
    HttpResponse<String> delete = send("DELETE", "/healthz");
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send("HEAD", "/readyz").statusCode()).isEqualTo(200);
  }
}
