package dev.streamloop.e2e;

import static dev.streamloop.e2e.E2eCluster.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streamloop.controlplane.Kubectl;
import dev.streamloop.e2e.cluster.Operator;
import org.junit.jupiter.api.Test;

/**
 * What a user sees with kubectl, asserted from kubectl's own output, on Streamloop installed with
 * {@code kubectl apply -k manifests/}: {@code kubectl wait}, the printer columns of {@code kubectl
 * get sq} (rendered by the API server from the CRD), the Events in {@code kubectl describe}. And
 * RBAC as enforced: the operator and the runners work as their own ServiceAccounts, under the
 * manifests' ClusterRole and the per-query Role, and the API server's audit log shows that it
 * refused them nothing (a missing verb would be a 403 there, not only a line in a log).
 */
class KubectlAndRbacTest {
  @Test
  void kubectlShowsTheQueryAndRbacRefusesTheOperatorAndRunnersNothing() throws Exception {
    E2eCluster e2e = E2eCluster.get();
    String ns = e2e.namespace("kubectl");
    e2e.apply(ns, ContinuousQueryTest.RATE_TO_FILE);

    Kubectl.Result wait =
        e2e.kubectl("-n", ns, "wait", "--for=condition=Ready", "sq/ticks", "--timeout=120s");
    assertThat(wait.exitCode()).as(wait.output()).isZero();
    assertThat(wait.output()).contains("streamingquery.streamloop.dev/ticks condition met");
    RunnerLifecycleTest.awaitBatch(e2e, ns, 2);

    String table =
        await()
            .atMost(MINUTE)
            .until(() -> get(e2e, ns), t -> t.matches("(?s).*\\n.*ticks\\s+Running\\s+.*"));
    String[] lines = table.split("\n");
    assertThat(lines[0].split("\\s+"))
        .containsExactly("NAME", "PHASE", "TRIGGER", "MODE", "BATCH", "LAG", "FRESH", "AGE");
    // a rate source is never behind: LAG 0; FRESH is blank without spec.freshness
    assertThat(lines[1])
        .matches("ticks\\s+Running\\s+ProcessingTime\\(1s\\)\\s+append\\s+\\d+\\s+(0\\s+)?\\S+");

    Kubectl.Result wide = e2e.kubectl("-n", ns, "get", "sq", "ticks", "-o", "wide");
    assertThat(wide.output().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly(
            "NAME",
            "PHASE",
            "TRIGGER",
            "MODE",
            "BATCH",
            "LAG",
            "FRESH",
            "AGE",
            "INPUT/S",
            "PROCESSED/S",
            "BEHIND",
            "MESSAGE");
    assertThat(wide.output()).contains("1 of 1 runners ready");

    Kubectl.Result describe = e2e.kubectl("-n", ns, "describe", "sq", "ticks");
    assertThat(describe.output())
        .contains("Events:")
        .containsPattern("Normal\\s+RunnersReady\\s+.*streamloop-operator");

    var operatorPod = e2e.operator().pod().orElseThrow();
    assertThat(operatorPod.getSpec().getServiceAccountName()).isEqualTo(Operator.DEPLOYMENT);
    var audit = e2e.cluster.controlPlane().auditLog();
    // a runner that ends after its query was deleted loses its Role first (the garbage collector
    // deletes both): its last progress write is refused, and that is no missing verb
    assertThat(audit.forbidden(user -> user.startsWith("system:serviceaccount:")))
        .as("requests RBAC refused to the operator or a runner (see %s)", audit.file())
        .filteredOn(request -> !ofDeletedQuery(e2e, request))
        .isEmpty();
    assertThat(java.nio.file.Files.readString(audit.file()))
        .as("the runner patched its progress as its own ServiceAccount")
        .contains("\"username\":\"system:serviceaccount:" + ns + ":ticks-runner\"")
        .contains("\"username\":\"system:serviceaccount:streamloop-system:streamloop-operator\"");
  }

  /** Whether {@code request} ("user verb streamingqueries/status ns/name") was for a gone query. */
  private static boolean ofDeletedQuery(E2eCluster e2e, String request) {
    String[] parts = request.split(" ");
    if (parts.length < 4 || !parts[2].startsWith("streamingqueries")) {
      return false;
    }
    String[] target = parts[3].split("/");
    return target.length == 2 && e2e.query(target[0], target[1]).get() == null;
  }

  private static String get(E2eCluster e2e, String ns) {
    return e2e.kubectl("-n", ns, "get", "sq", "ticks").output();
  }
}
