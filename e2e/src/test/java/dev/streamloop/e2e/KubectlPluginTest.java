package dev.streamloop.e2e;

import static dev.streamloop.e2e.E2eCluster.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.api.v1alpha1.RunRecord;
import dev.streamloop.api.v1alpha1.StreamingQuery;
import dev.streamloop.controlplane.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubectl plugin (kubectl-plugin/, Go) on the real control plane, found on the PATH and run by
 * kubectl as a user runs it: status, approve, run-now and logs.
 */
class KubectlPluginTest {
  private static Path plugins;

  /** Its own tests (go test), then the binary, as a user builds it. */
  @BeforeAll
  static void buildThePlugin() throws Exception {
    plugins = Files.createDirectories(Path.of("target", "kubectl-plugins").toAbsolutePath());
    assertThat(go("test", "./...")).contains("ok");
    go("build", "-o", plugins.resolve("kubectl-streamloop").toString(), ".");
  }

  private static String go(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "go";
    System.arraycopy(args, 0, command, 1, args.length);
    return Tools.mustRun(
        Path.of("..", "kubectl-plugin"),
        java.util.Map.of("GOTOOLCHAIN", "local", "GOFLAGS", "-mod=readonly"),
        command);
  }

  private static Kubectl.Result plugin(E2eCluster e2e, String... args) {
    return e2e.cluster.controlPlane().kubectl().runPlugin(plugins, args);
  }

  @Test
  void statusShowsThePendingChangeAndApproveRollsItOut() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("plugin-approve");
    e2e.apply(ns, QueryEvolutionTest.AGGREGATE);
    RunnerLifecycleTest.awaitBatch(e2e, ns, "totals", 1);
    e2e.apply(ns, QueryEvolutionTest.SUMMED);
    e2e.waitFor(ns, "totals", "ChangePending", "True", MINUTE);

    Kubectl.Result status = plugin(e2e, "streamloop", "status", "totals", "-n", ns);
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output())
        .contains("StreamingQuery " + ns + "/totals  generation 2 (observed 2, running 1)")
        .contains("Phase:    Running")
        .containsPattern("ChangePending +True +AwaitingApproval")
        .contains("Lag: 0s (age of the oldest unprocessed input)")
        .containsPattern("(?m)^  0 +\\d+ ")
        .contains("Pending change: generation 2 waits (StateIncompatible, policy AwaitApproval)")
        .contains("approve it: kubectl streamloop approve totals -n " + ns);

    Kubectl.Result approved = plugin(e2e, "streamloop", "approve", "totals", "-n", ns);
    assertThat(approved.exitCode()).as(approved.output()).isZero();
    await()
        .atMost(MINUTE)
        .until(() -> e2e.query(ns, "totals").get().getStatus().activeGeneration(), g -> g == 3);
    assertThat(e2e.query(ns, "totals").get().getSpec().evolution().approvedGeneration())
        .isEqualTo(2);

    Kubectl.Result again = plugin(e2e, "streamloop", "approve", "totals", "-n", ns);
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.output()).contains("no change is pending");
  }

  @Test
  void runNowStartsARunAndLogsReadsEveryRunnerPod() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("plugin-run");
    AvailableNowTest.writeInput(e2e.data(ns), 0, 3);
    // a schedule that is never due in the test: only run-now starts a run
    e2e.apply(ns, AvailableNowTest.FILES_TO_FILE.formatted("{schedule: \"0 0 1 1 *\"}"));
    e2e.waitFor(ns, "catch-up", "Ready", "True", MINUTE);

    Kubectl.Result runNow = plugin(e2e, "streamloop", "run-now", "catch-up", "-n", ns);
    assertThat(runNow.exitCode()).as(runNow.output()).isZero();
    StreamingQuery ran =
        await()
            .atMost(MINUTE)
            .until(
                () -> e2e.query(ns, "catch-up").get(),
                q ->
                    q.getStatus().runs() != null
                        && q.getStatus().runs().stream()
                            .anyMatch(r -> r.result() == RunRecord.Result.Succeeded));
    RunRecord run = ran.getStatus().runs().get(ran.getStatus().runs().size() - 1);
    assertThat(run.numInputRows()).isEqualTo(30);

    Kubectl.Result status = plugin(e2e, "streamloop", "status", "catch-up", "-n", ns);
    assertThat(status.output()).contains("Last runs:").contains(run.name()).contains("Succeeded");

    // kubectl logs needs the node's kubelet API, which the local cluster's emulated kubelet
    // does not serve: the call reaches the run's runner pod, and the API server says so
    Kubectl.Result logs = plugin(e2e, "streamloop", "logs", "catch-up", "-n", ns);
    System.out.println("kubectl streamloop logs printed: " + logs.output());
    assertThat(logs.output()).contains(run.name());
  }
}
