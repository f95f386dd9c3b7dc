package dev.streamloop.operator.status;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Writes core/v1 Events about a query (what {@code kubectl describe sq} shows). Deduplicated: the
 * event's name is derived from the query, the generation, the reason and the message, so the same
 * transition recorded twice (a retried reconcile, a restarted operator) is one event.
 */
public final class EventRecorder {
  static final String COMPONENT = "streamloop-operator";
  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void record(StreamingQuery query, TransitionEvents.Event event) {
    String namespace = query.getMetadata().getNamespace();
    String name = query.getMetadata().getName() + "." + digest(query, event);
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var resource =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(StreamingQuery.API_VERSION)
                    .withKind(StreamingQuery.KIND)
                    .withName(query.getMetadata().getName())
                    .withNamespace(namespace)
                    .withUid(query.getMetadata().getUid())
                    .withResourceVersion(query.getMetadata().getResourceVersion())
                    .build())
            .withType(event.type())
            .withReason(event.reason())
            .withMessage(
                event.message().length() > 1024
                    ? event.message().substring(0, 1024)
                    : event.message())
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .build();
    try {
      if (client.v1().events().inNamespace(namespace).withName(name).get() == null) {
        client.v1().events().inNamespace(namespace).resource(resource).create();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) { // recorded meanwhile: nothing to do
        throw e;
      }
    }
  }

  private static String digest(StreamingQuery query, TransitionEvents.Event event) {
    String key =
        query.getMetadata().getUid()
            + "|"
            + query.getMetadata().getGeneration()
            + "|"
            + event.reason()
            + "|"
            + event.message();
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
