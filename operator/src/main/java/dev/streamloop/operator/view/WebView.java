package dev.streamloop.operator.view;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The read-only web view (off by default; streamloop.web-view=true): the queries with phase, lag
 * and freshness, and per query the charts of its recent batches, its conditions, events and runs.
 * It listens on the pod's loopback interface only, so nothing in the cluster reaches it: a person
 * reaches it with {@code kubectl port-forward}, which the API server authorizes as
 * pods/portforward. It reads the queries from an informer of its own, which also feeds the batch
 * history (runner progress does not trigger reconciles).
 */
@ApplicationScoped
public class WebView {
  private static final Logger LOG = Logger.getLogger(WebView.class);

  @Inject OperatorSettings settings;
  @Inject KubernetesClient client;

  private final BatchHistory history = new BatchHistory();
  private final List<SharedIndexInformer<StreamingQuery>> informers = new ArrayList<>();
  private HttpServer server;

  void start(@Observes StartupEvent started) throws IOException {
    if (!settings.webView()) {
      return;
    }
    ResourceEventHandler<StreamingQuery> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(StreamingQuery query) {
            history.observe(query);
          }

          @Override
          public void onUpdate(StreamingQuery before, StreamingQuery after) {
            history.observe(after);
          }

          @Override
          public void onDelete(StreamingQuery query, boolean unknownFinalState) {
            history.forget(query);
          }
        };
    List<String> namespaces = settings.watchNamespaces().orElse(List.of());
    if (namespaces.isEmpty()) {
      informers.add(client.resources(StreamingQuery.class).inAnyNamespace().inform(handler));
    } else {
      for (String ns : namespaces) {
        informers.add(client.resources(StreamingQuery.class).inNamespace(ns).inform(handler));
      }
    }
    server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.webViewPort()), 16);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext("/", this::handle);
    server.start();
    LOG.infof(
        "web view on 127.0.0.1:%d (kubectl port-forward -n <operator namespace> deploy/"
            + "streamloop-operator %d)",
        settings.webViewPort(), settings.webViewPort());
  }

  void stop(@Observes ShutdownEvent stopping) {
    if (server != null) {
      server.stop(0);
    }
    informers.forEach(SharedIndexInformer::close);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, "text/plain", "read-only: GET only");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/")) {
        try (InputStream page = WebView.class.getResourceAsStream("/view/index.html")) {
          send(
              exchange,
              200,
              "text/html; charset=utf-8",
              new String(page.readAllBytes(), StandardCharsets.UTF_8));
        }
      } else if (path.equals("/api/queries")) {
        send(exchange, 200, "application/json", ViewModel.list(queries()).toString());
      } else if (path.startsWith("/api/queries/") && path.split("/").length == 5) {
        String[] parts = path.split("/");
        detail(exchange, parts[3], parts[4]);
      } else {
        send(exchange, 404, "text/plain", "not found");
      }
    } catch (RuntimeException e) {
      LOG.warnf("web view: %s failed: %s", exchange.getRequestURI(), e.getMessage());
      send(exchange, 500, "text/plain", "the operator could not answer: " + e.getMessage());
    }
  }

  private void detail(HttpExchange exchange, String namespace, String name) throws IOException {
    StreamingQuery query =
        queries().stream()
            .filter(
                q ->
                    q.getMetadata().getNamespace().equals(namespace)
                        && q.getMetadata().getName().equals(name))
            .findFirst()
            .orElse(null);
    if (query == null) {
      send(exchange, 404, "text/plain", "no StreamingQuery " + namespace + "/" + name);
      return;
    }
    List<Event> events =
        client
            .v1()
            .events()
            .inNamespace(namespace)
            .withField("involvedObject.name", name)
            .list()
            .getItems()
            .stream()
            .filter(e -> "StreamingQuery".equals(e.getInvolvedObject().getKind()))
            .toList();
    send(
        exchange,
        200,
        "application/json",
        ViewModel.detail(query, history.of(namespace, name), events).toString());
  }

  private List<StreamingQuery> queries() {
    List<StreamingQuery> all = new ArrayList<>();
    informers.forEach(i -> all.addAll(i.getStore().list()));
    return all;
  }

  private static void send(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
