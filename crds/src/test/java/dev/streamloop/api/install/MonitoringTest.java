package dev.streamloop.api.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * manifests/monitoring: the alert rules pass Prometheus's own checks and unit tests (promtool, from
 * Debian's prometheus package), and the dashboard and rules use only series docs/metrics.md lists.
 */
class MonitoringTest {
  private static final Path ROOT = Path.of(System.getProperty("streamloop.repoRoot"));
  private static final Path MONITORING = ROOT.resolve("manifests/monitoring");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SERIES = Pattern.compile("\\b(streamloop_[a-z_]+)");

  @Test
  void theAlertRulesPassPromtoolsChecksAndUnitTests() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "monitoring"));
    JsonNode rule = YAML.readTree(MONITORING.resolve("prometheus-rule.yaml").toFile());
    YAML.writeValue(work.resolve("streamloop-rules.yaml").toFile(), rule.get("spec"));
    Files.copy(
        MONITORING.resolve("prometheus-rule-tests.yaml"),
        work.resolve("prometheus-rule-tests.yaml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String promtool =
        run(ROOT, ROOT.resolve("e2e/tools/debian-tool.sh").toString(), "promtool", "prometheus")
            .trim();

    assertThat(run(work, promtool, "check", "rules", "streamloop-rules.yaml"))
        .contains("SUCCESS: 6 rules found");
    assertThat(run(work, promtool, "test", "rules", "prometheus-rule-tests.yaml"))
        .contains("SUCCESS");
  }

  @Test
  void aRuleThatDoesNotParseFailsTheCheck() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "monitoring-broken"));
    Files.writeString(
        work.resolve("broken.yaml"),
        "groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum(rate(x[5m])\n");
    String promtool =
        run(ROOT, ROOT.resolve("e2e/tools/debian-tool.sh").toString(), "promtool", "prometheus")
            .trim();
    Process check =
        new ProcessBuilder(promtool, "check", "rules", "broken.yaml")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(output).isNotZero();
    assertThat(output).contains("broken.yaml");
  }

  @Test
  void theDashboardAndTheRulesUseOnlyDocumentedSeries() throws Exception {
    String documented = Files.readString(ROOT.resolve("docs/metrics.md"));
    JsonNode dashboard =
        new ObjectMapper().readTree(MONITORING.resolve("streamloop-dashboard.json").toFile());
    List<String> expressions = new ArrayList<>();
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(ids.add(panel.get("id").asInt())).as("panel ids are unique").isTrue();
      assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
      panel.get("targets").forEach(t -> expressions.add(t.get("expr").asText()));
    }
    assertThat(dashboard.get("panels")).hasSizeGreaterThanOrEqualTo(10);
    expressions.add(Files.readString(MONITORING.resolve("prometheus-rule.yaml")));
    Set<String> used = new TreeSet<>();
    for (String expression : expressions) {
      Matcher m = SERIES.matcher(expression);
      while (m.find()) {
        used.add(m.group(1).replaceAll("_$", ""));
      }
    }
    assertThat(used).contains("streamloop_query_lag_seconds", "streamloop_state_rows");
    for (String series : used) {
      if (series.startsWith("streamloop_source_") && series.endsWith("_behind")) {
        continue; // the rule's regular expression names them in part
      }
      assertThat(documented).as(series + " is in docs/metrics.md").contains("`" + series);
    }
  }

  private static String run(Path dir, String... command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
    return output;
  }
}
