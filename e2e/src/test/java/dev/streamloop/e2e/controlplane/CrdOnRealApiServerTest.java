package dev.streamloop.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamloop.api.validation.StreamingQueryValidator;
import dev.streamloop.api.validation.ValidationError;
import dev.streamloop.controlplane.ControlPlane;
import dev.streamloop.controlplane.Kubectl;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD on a real kube-apiserver: {@code kubectl apply -f crds/} is accepted, every example is
 * accepted, and every invalid document of the offline validator's table is rejected by the server
 * and by the offline validator with the same field and message (where they differed, the server was
 * right and the validator was fixed).
 */
class CrdOnRealApiServerTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern UNKNOWN_FIELD = Pattern.compile("unknown field \"([^\"]+)\"");
  private static ControlPlane plane;
  private static KubernetesClient client;

  @BeforeAll
  static void startAndInstallTheCrd() throws IOException {
    plane = ControlPlane.start(ROOT, Files.createTempDirectory(ROOT.resolve("e2e/target"), "crd-"));
    Kubectl.Result apply = plane.kubectl("apply", "-f", ROOT.resolve("crds").toString());
    assertThat(apply.exitCode()).as("kubectl apply -f crds/: %s", apply.output()).isZero();
    // kubectl wait fails at once while the new CRD has no status yet: ask again until it is
    Kubectl.Result established =
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(60))
            .until(
                () ->
                    plane.kubectl(
                        "wait",
                        "--for=condition=Established",
                        "--timeout=60s",
                        "crd/streamingqueries.streamloop.dev"),
                result -> result.exitCode() == 0);
    assertThat(established.output()).contains("condition met");
    client = new KubernetesClientBuilder().withConfig(plane.adminConfig()).build();
    plane.kubectl("create", "namespace", "shop");
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void everyExampleIsAccepted() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("manifests/examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        Kubectl.Result result = plane.kubectl("apply", "-n", "default", "-f", file.toString());
        assertThat(result.exitCode()).as("kubectl apply -f %s: %s", file, result.output()).isZero();
      }
    }
  }

  @Test
  void kubectlExplainShowsTheModelsDescriptions() {
    Kubectl.Result explain = plane.kubectl("explain", "sq.spec.trigger");

    assertThat(explain.exitCode()).as(explain.output()).isZero();
    assertThat(explain.output()).contains("processingTime").contains("availableNow");
  }

  static Stream<Arguments> invalidCases() throws IOException {
    JsonNode table =
        YAML.readTree(ROOT.resolve("crds/src/test/resources/invalid-queries.yaml").toFile());
    return StreamSupport.stream(table.get("cases").spliterator(), false)
        .map(c -> Arguments.of(c.get("case").asText(), table.get("base"), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCases")
  void theServerAndTheOfflineValidatorRejectAlike(String name, JsonNode base, JsonNode c) {
    JsonNode document = mergePatch(base, c.get("patch"));
    String field = c.get("field").asText();
    String message = c.get("message").asText();

    List<ValidationError> offline = StreamingQueryValidator.fromCrd().validate(document).errors();
    if (c.has("serverCode")) {
      assertThat(serverCode(document)).isEqualTo(c.get("serverCode").asInt());
      assertThat(offline).anySatisfy(e -> assertThat(e.message()).contains(message));
      return;
    }
    List<StatusCause> server = serverErrors(document);

    assertThat(server)
        .as("the API server's errors for \"%s\"", name)
        .anySatisfy(
            e -> {
              assertThat(rootAsEmpty(e.getField())).isEqualTo(field);
              assertThat(e.getMessage()).contains(message);
            });
    assertThat(offline)
        .as("the offline validator's errors for \"%s\" (the server said %s)", name, server)
        .anySatisfy(
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.message()).contains(message);
            });
  }

  /**
   * What the server says to a dry-run create with strict field validation, as kubectl sends it. An
   * unknown field is a decoding error without causes: its field is the one the message names.
   */
  private static List<StatusCause> serverErrors(JsonNode document) {
    try {
      create(document);
    } catch (KubernetesClientException e) {
      Status status = e.getStatus();
      if (status != null
          && status.getDetails() != null
          && status.getDetails().getCauses() != null
          && !status.getDetails().getCauses().isEmpty()) {
        return status.getDetails().getCauses();
      }
      String message = status != null ? status.getMessage() : e.getMessage();
      Matcher unknown = UNKNOWN_FIELD.matcher(message);
      return List.of(new StatusCause(unknown.find() ? unknown.group(1) : "", message, "Unknown"));
    }
    return List.of();
  }

  /** A rule on the root object comes back with the field "<nil>" (Go's nil path) from 1.35. */
  private static String rootAsEmpty(String field) {
    return field == null || field.equals("<nil>") ? "" : field;
  }

  private static int serverCode(JsonNode document) {
    try {
      create(document);
      return 201;
    } catch (KubernetesClientException e) {
      return e.getCode();
    }
  }

  private static void create(JsonNode document) {
    client
        .genericKubernetesResources(StreamingQueryResource.DEFINITION)
        .inNamespace("shop")
        .resource(YAML.convertValue(document, GenericKubernetesResource.class))
        .dryRun()
        .fieldValidation(FieldValidateable.Validation.STRICT)
        .create();
  }

  /** RFC 7386: objects merge, everything else replaces, null removes. */
  private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = ((ObjectNode) target).deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        JsonNode current = result.get(field.getKey());
        result.set(
            field.getKey(),
            current == null ? field.getValue().deepCopy() : mergePatch(current, field.getValue()));
      }
    }
    return result;
  }
}
