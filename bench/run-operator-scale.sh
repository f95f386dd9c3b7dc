#!/usr/bin/env bash
# The operator at scale (issue: 1,000 StreamingQueries): the packaged Quarkus operator in its own
# process, as its ServiceAccount, against a real kube-apiserver (etcd + kube-apiserver from
# e2e/controlplane, built from Go modules on first use; no controllers).
#   bench/run-operator-scale.sh            # N=1000, 60 s steady-state window
#   N=200 WINDOW=30 bench/run-operator-scale.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-1000}"
WINDOW="${WINDOW:-60}"
cd "$root"
cp="$(mktemp)"
# one reactor call: the operator's test classpath names the control plane module's fresh jar
./mvnw -B -q -pl operator -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp"
java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "operator/target/test-classes:operator/target/classes:$(cat "$cp")" \
  dev.streamloop.operator.bench.ScaleBench "$root" operator/target/quarkus-app/quarkus-run.jar "$N" "$WINDOW"
rm -f "$cp"
