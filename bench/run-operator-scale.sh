#!/usr/bin/env bash
# The operator at scale (issue: 1,000 StreamingQueries): the packaged Quarkus operator in its own
# process against the fabric8 mock API server (CRUD mode) in the driver's process.
#   bench/run-operator-scale.sh            # N=1000, 60 s steady-state window
#   N=200 WINDOW=30 bench/run-operator-scale.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-1000}"
WINDOW="${WINDOW:-60}"
cd "$root"
./mvnw -B -q -pl operator -am package -DskipTests
cp="$(mktemp)"
./mvnw -B -q -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp"
java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "operator/target/test-classes:operator/target/classes:$(cat "$cp")" \
  dev.streamloop.operator.bench.ScaleBench operator/target/quarkus-app/quarkus-run.jar "$N" "$WINDOW"
rm -f "$cp"
