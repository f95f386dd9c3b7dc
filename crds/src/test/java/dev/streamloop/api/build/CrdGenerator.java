package dev.streamloop.api.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.validation.CelRuleArchive;
import io.fabric8.crdv2.generator.CRDGenerator.AbstractCRDOutput;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step: generates the StreamingQuery CRD from the model (fabric8 crd-generator, with
 * descriptions from Javadoc) and the API reference from that CRD.
 *
 * <p>Arguments: the model's source root, the CRD file to write, the API reference file to write,
 * the committed CRD and where to put it as JSON for the validator (parsed much faster at start-up);
 * the CRD's CEL rules, compiled, go next to that JSON ({@link CelRuleArchive}).
 */
public final class CrdGenerator {
  static final String HEADER =
      "# Generated from crds/src/main/java by the build: do not edit by hand.\n"
          + "# Regenerate: ./mvnw -pl crds -Pupdate-crd process-test-classes\n"
          + "# The build also compiles the CEL rules below into cel-rules.bin (the offline validator).\n";

  private CrdGenerator() {}

  public static void main(String[] args) throws IOException {
    JavadocIndex javadoc = JavadocIndex.read(Path.of(args[0]));
    String crd = generate(javadoc);
    write(Path.of(args[1]), crd);
    CustomResourceDefinition parsed =
        new KubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class);
    write(Path.of(args[2]), ApiReferenceWriter.render(parsed));
    JsonNode committed = new YAMLMapper().readTree(Path.of(args[3]).toFile());
    write(Path.of(args[4]), committed.toString());
    JsonNode schema =
        committed.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema");
    try (OutputStream out =
        Files.newOutputStream(Path.of(args[4]).resolveSibling("cel-rules.bin"))) {
      CelRuleArchive.write(schema, out);
    }
  }

  /** The CRD YAML, with the header. */
  static String generate(JavadocIndex javadoc) {
    ObjectMapper mapper = new ObjectMapper();
    mapper.setAnnotationIntrospector(new JavadocIntrospector(javadoc));
    KubernetesSerialization serialization = new KubernetesSerialization(mapper, false);
    CrdPostProcessor postProcessor =
        new CrdPostProcessor(
            javadoc.type(StreamingQuery.class.getCanonicalName()).orElseThrow(),
            StreamingQuery.class);
    new io.fabric8.crdv2.generator.CRDGenerator()
        .withObjectMapper(mapper, serialization)
        .withPostProcessor(postProcessor)
        .customResourceClasses(StreamingQuery.class)
        .forCRDVersions("v1")
        .withOutput(new DiscardedOutput())
        .generate();
    CustomResourceDefinition crd = postProcessor.result();
    // the label kustomize gives every installed object, here too: the Helm chart ships this file
    crd.getMetadata().setLabels(java.util.Map.of("app.kubernetes.io/part-of", "streamloop"));
    return HEADER + toYaml(crd);
  }

  /** Readable YAML: quotes only where needed, long strings kept on one line. */
  static String toYaml(CustomResourceDefinition crd) {
    YAMLFactory factory =
        YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();
    JsonNode tree = new KubernetesSerialization().convertValue(crd, JsonNode.class);
    try {
      return new YAMLMapper(factory).writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  /** The post-processor keeps the CRD; the generator's own YAML is not used. */
  private static final class DiscardedOutput extends AbstractCRDOutput<OutputStream> {
    @Override
    protected OutputStream createStreamFor(String crdName) {
      return OutputStream.nullOutputStream();
    }

    @Override
    public URI crdURI(String crdName) {
      return URI.create("file:///dev/null");
    }
  }
}
