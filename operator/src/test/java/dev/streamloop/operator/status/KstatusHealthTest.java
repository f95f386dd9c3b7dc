package dev.streamloop.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.PendingChange;
import dev.streamloop.api.v1alpha1.QueryProgress;
import dev.streamloop.api.v1alpha1.RestartStatus;
import dev.streamloop.api.v1alpha1.SourceLag;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.api.v1alpha1.StreamingQueryStatus;
import dev.streamloop.operator.Observed;
import dev.streamloop.operator.Queries;
import dev.streamloop.operator.TestJobs;
import dev.streamloop.operator.evolution.ChangeDecision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The status of every phase, computed by the operator's status function from the children it would
 * observe, read by kstatus itself (sigs.k8s.io/cli-utils, which Flux uses for health): a Go test
 * (src/test/go/kstatus) holds the health each phase must have. Needs Go, as the local cluster does.
 */
class KstatusHealthTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final String T0 = "2026-11-23T10:00:00Z";
  private static final Path STATUSES = Paths.get("target", "kstatus-statuses");

  @Test
  void everyPhaseReadsAsItsHealthInKstatus() throws Exception {
    Files.createDirectories(STATUSES);
    try (var old = Files.list(STATUSES)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    record("pending", continuous(""), new Observed(null, List.of(), List.of()));
    record("running", continuous(""), ready(2, 2));
    record("rolling-out", continuous(""), ready(2, 1));
    record("validating-spec", continuous(""), ready(2, 2).validating());
    record("suspended", continuous("suspend: true"), ready(0, 0));
    record("suspending", continuous("suspend: true"), ready(1, 1));
    record(
        "backing-off",
        continuous(""),
        ready(0, 0)
            .withRestarts(
                new RunnerRestarts.Decision(
                    new RestartStatus(2, 2L, T0, "Error", "exit code 1: boom", T0),
                    RunnerRestarts.Hold.BACKING_OFF)));
    record("failed", continuous(""), halted(11, "Error", "exit code 1: boom"));
    record("rejected-by-runner", continuous(""), halted(1, "InvalidSpec", "exit code 2: bad SQL"));
    write(
        "invalid-spec",
        compute(continuous(""), ready(2, 2), "InvalidSpec", List.of("bad SQL"), null));
    write(
        "awaiting-approval",
        compute(
            continuous(""),
            ready(2, 2),
            "AwaitingApproval",
            List.of("the state's schema changed"),
            new ChangeDecision(
                new PendingChange(3L, "ResetState", List.of("the state's schema changed"), null),
                null,
                "AwaitingApproval",
                "the state's schema changed; approve it")));
    StreamingQuery older = continuous("");
    older.setStatus(compute(older, ready(2, 2), "InvalidSpec", List.of(), null));
    older.getMetadata().setGeneration(4L);
    write("stale-observed-generation", older);
    record(
        "available-now-running",
        availableNow(""),
        new Observed(null, List.of(TestJobs.job(1, "k", null)), List.of()));
    record(
        "available-now-succeeded",
        availableNow(""),
        new Observed(null, List.of(TestJobs.job(1, "k", "Complete")), List.of()));
    record(
        "available-now-failed",
        availableNow(""),
        new Observed(null, List.of(TestJobs.job(1, "k", "Failed")), List.of()));
    record(
        "scheduled-idle",
        availableNow("schedule: \"0 * * * *\""),
        new Observed(null, List.of(), List.of()));
    record(
        "scheduled-run-failed",
        availableNow("schedule: \"0 * * * *\""),
        new Observed(null, List.of(TestJobs.job(1, "k", "Failed")), List.of()));

    StreamingQuery stale =
        JSON.unmarshal(Queries.CONTINUOUS + "  freshness: {maxLag: 1m}\n", StreamingQuery.class);
    stale.setStatus(compute(stale, ready(2, 2), "InvalidSpec", List.of(), null));
    stale.setStatus(withProgress(stale.getStatus(), "2026-11-23T09:00:00Z"));
    record("lag-above-max-lag", stale, ready(2, 2));

    ProcessBuilder test =
        new ProcessBuilder("go", "test", "-count=1", "-v", "./...")
            .directory(Paths.get("src", "test", "go", "kstatus").toFile())
            .redirectErrorStream(true);
    test.environment().put("STREAMLOOP_STATUSES", STATUSES.toAbsolutePath().toString());
    test.environment().put("GOTOOLCHAIN", "local");
    test.environment().put("GOFLAGS", "-mod=readonly");
    Process go = test.start();
    go.getOutputStream().close();
    String output = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(go.waitFor(10, TimeUnit.MINUTES)).isTrue();
    System.out.println(output);
    assertThat(go.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("--- PASS: TestEveryPhaseReadsAsItsHealth")
        .contains("--- PASS: TestArgoCdHealthOfEveryPhase");
  }

  /** {@code status} with a runner's batch whose Kafka source has a backlog since {@code oldest}. */
  private static StreamingQueryStatus withProgress(StreamingQueryStatus status, String oldest) {
    var source =
        new QueryProgress.SourceProgress(
            "KafkaV2[Subscribe[clicks]]",
            null,
            null,
            null,
            5L,
            null,
            null,
            null,
            new SourceLag(1000L, null, null, oldest));
    var progress =
        new QueryProgress(
            "q",
            "r",
            null,
            T0,
            3L,
            null,
            5L,
            null,
            null,
            null,
            null,
            null,
            List.of(source),
            null,
            null,
            null,
            null);
    return TestStatuses.withProgress(status, java.util.Map.of("0", progress));
  }

  /** Runners stopped for good after {@code count} failures, the last one as given. */
  private static Observed halted(int count, String reason, String message) {
    return ready(0, 0)
        .withRestarts(
            new RunnerRestarts.Decision(
                new RestartStatus(count, (long) count, T0, reason, message, null),
                RunnerRestarts.Hold.HALTED));
  }

  private static StreamingQuery continuous(String specLine) {
    return parse(Queries.CONTINUOUS, specLine);
  }

  private static StreamingQuery availableNow(String triggerField) {
    String yaml =
        Queries.CONTINUOUS.replace(
            "trigger: {processingTime: 5s}", "trigger: {availableNow: {" + triggerField + "}}");
    return parse(yaml, "");
  }

  private static StreamingQuery parse(String yaml, String specLine) {
    String text = specLine.isEmpty() ? yaml : yaml.replace("suspend: false", specLine);
    return JSON.unmarshal(text, StreamingQuery.class);
  }

  private static Observed ready(int replicas, int ready) {
    StatefulSet sts =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName("clicks-runner")
            .withGeneration(1L)
            .endMetadata()
            .withNewStatus()
            .withObservedGeneration(1L)
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(ready)
            .endStatus()
            .build();
    return new Observed(sts, List.of(), List.of());
  }

  /** Two reconciles, as the operator runs them: the second sees the first's status. */
  private static void record(String name, StreamingQuery query, Observed observed)
      throws IOException {
    query.setStatus(compute(query, observed, "InvalidSpec", List.of(), null));
    query.setStatus(compute(query, observed, "InvalidSpec", List.of(), null));
    write(name, query);
  }

  private static StreamingQueryStatus compute(
      StreamingQuery query,
      Observed observed,
      String reason,
      List<String> errors,
      ChangeDecision change) {
    return StatusCalculator.compute(query, observed, reason, errors, change, T0);
  }

  private static void write(String name, StreamingQueryStatus status) throws IOException {
    StreamingQuery query = continuous("");
    query.setStatus(status);
    write(name, query);
  }

  private static void write(String name, StreamingQuery query) throws IOException {
    Files.writeString(STATUSES.resolve(name + ".yaml"), JSON.asYaml(query));
  }
}
