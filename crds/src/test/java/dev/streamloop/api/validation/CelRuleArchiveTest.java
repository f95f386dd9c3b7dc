package dev.streamloop.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The build's precompiled CEL rules: complete, and the same programs as compiling the rules. */
class CelRuleArchiveTest {
  private static final JsonNode SCHEMA = schema();

  @Test
  void theShippedArchiveHasEveryRuleAndMessageExpressionOfTheCrd() throws IOException {
    ByteArrayOutputStream fresh = new ByteArrayOutputStream();
    CelRuleArchive.write(SCHEMA, fresh);
    Map<String, byte[]> expected =
        CelRuleArchive.read(new ByteArrayInputStream(fresh.toByteArray()));

    Map<String, byte[]> shipped = CelRuleArchive.load();

    assertThat(new TreeSet<>(shipped.keySet())).isEqualTo(new TreeSet<>(expected.keySet()));
    assertThat(shipped.keySet()).anyMatch(key -> key.startsWith("m:")).hasSizeGreaterThan(30);
    expected.forEach((key, bytes) -> assertThat(shipped.get(key)).as(key).isEqualTo(bytes));
  }

  @Test
  void anArchivedRuleEvaluatesAsTheCompiledRule() throws Exception {
    CelRules archived = new CelRules(CelRuleArchive.load());
    CelRules compiled = new CelRules(Map.of());
    String rule = "duration(self.initialBackoff) <= duration(self.maxBackoff)";
    assertThat(CelRuleArchive.load()).containsKey(CelRules.key(rule, false));
    for (String initial : new String[] {"1s", "10m"}) {
      Map<String, Object> vars =
          Map.of("self", Map.of("initialBackoff", initial, "maxBackoff", "5m"));
      assertThat(archived.program(rule, false).eval(vars))
          .isEqualTo(compiled.program(rule, false).eval(vars))
          .isEqualTo(initial.equals("1s"));
    }
  }

  private static JsonNode schema() {
    try (InputStream in =
        CelRuleArchiveTest.class.getResourceAsStream(StreamingQueryValidator.CRD_JSON_RESOURCE)) {
      return new ObjectMapper()
          .readTree(in)
          .path("spec")
          .path("versions")
          .path(0)
          .path("schema")
          .path("openAPIV3Schema");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
