#!/usr/bin/env bash
# W6, a stream joined with a static table (docs/architecture.md, benchmarks): the 10M events of W1
# (20 files of 500,000, two files a batch) joined on user with a static table of 100,000 users
# (every event finds its user), the gold fifth written as JSON files, available-now; the runner in a
# fresh process under /usr/bin/time -v, side by side with Spark 4 local[2] on the same files (its
# static DataFrame read with spark.read). Prints rows/s and peak RSS of each, and checks that both
# wrote the same rows (count and sum of cents).
#
#   bench/run-join-bench.sh              # runner and Spark, 3 runner runs
#   RUNS=1 SPARK=0 bench/run-join-bench.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
WORK="${WORK:-/tmp/streamloop-bench}"
RUNS="${RUNS:-3}"
SPARK="${SPARK:-1}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m}"
out="$WORK/w6"
mkdir -p "$out"

# shellcheck source=common.sh
. "$here/common.sh"
events="$(data events-20x500000 20 500000)"

# the users u0..u99999 of the generator, a fifth of them gold, in 4 files
users="$WORK/data/w6-users-100000"
if [ ! -f "$users.ok" ]; then
  rm -rf "$users" && mkdir -p "$users"
  python3 - "$users" <<'PY'
import os, sys
segments = ["gold", "silver", "bronze", "iron", "wood"]
for f in range(4):
    with open(os.path.join(sys.argv[1], "users-%d.json" % f), "w") as out:
        out.write("".join('{"user": "u%d", "segment": "%s", "credit": %d}\n'
                          % (u, segments[(u * 7) % 5], u % 1000) for u in range(f * 25000, (f + 1) * 25000)))
PY
  touch "$users.ok"
fi

cat > "$out/query.yaml" <<'YAML'
apiVersion: streamloop.dev/v1alpha1
kind: StreamingQuery
metadata: {name: bench-w6}
spec:
  sources:
    - name: events
      file: {path: /input, maxFilesPerTrigger: 2}
      schema: [{name: ts, type: long}, {name: user, type: string}, {name: country, type: string}, {name: amount, type: double}]
    - name: customers
      file: {path: /users}
      static: {}
      schema: [{name: user, type: string}, {name: segment, type: string}, {name: credit, type: long}]
  query: >-
    SELECT e.`user`, CAST(e.amount * 100 AS BIGINT) AS cents, c.segment, c.credit
    FROM events e JOIN customers c ON e.`user` = c.`user` WHERE c.segment = 'gold'
  sinks:
    - name: out
      file: {path: /output/out}
  outputMode: append
  trigger: {availableNow: {}}
  runner:
    volumes:
      - {name: input, mountPath: /input, readOnly: true, emptyDir: {}}
      - {name: users, mountPath: /users, readOnly: true, emptyDir: {}}
      - {name: output, mountPath: /output, emptyDir: {}}
YAML

"$root/bin/streamloop" --version >/dev/null # builds the runner if needed
for run in $(seq 1 "$RUNS"); do
  dir="$out/runner"
  rm -rf "$dir" && mkdir -p "$dir"
  STREAMLOOP_JAVA_OPTS="$JAVA_OPTS" /usr/bin/time -v -o "$dir/time.txt" \
    "$root/bin/streamloop" run --query "$out/query.yaml" --checkpoint "$dir/checkpoint" \
    --mount "/input=$events" --mount "/users=$users" --mount "/output=$dir" \
    > "$dir/stdout.txt" 2> "$dir/stderr.txt" || { tail -20 "$dir/stderr.txt"; exit 1; }
  read -r rows cents < <(outputs "$dir/out")
  echo "$rows $cents" > "$out/runner-output.txt"
  python3 - "$run" "$dir" "$rows" "$cents" <<'PY'
import re, statistics, sys, pathlib
run, d, out_rows, cents = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
err = (d / "stderr.txt").read_text()
t = (d / "time.txt").read_text()
batch_ms = sorted(int(m) for m in re.findall(r"^batch \d+: \d+ rows in (\d+) ms", err, re.M))
query_ms, batches, rows = (int(x) for x in re.search(
    r"query stopped after (\d+) ms: (\d+) batches, (\d+) input rows", err).groups())
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) // 1024
table = re.search(r"static table customers: (\d+) rows from (\d+) files of \S+ in (\d+) ms", err)
print(f"W6 runner run {run}: {rows:,} rows, {batches} batches, query {query_ms} ms ="
      f" {rows * 1000 / query_ms:,.0f} rows/s, batch p50 {statistics.median(batch_ms)} ms,"
      f" static table {table.group(1)} rows read in {table.group(3)} ms, peak RSS {rss} MB,"
      f" output {out_rows:,} rows, sum(cents) {cents}")
PY
done

if [ "$SPARK" = 1 ]; then
  proj="$WORK/spark-w6"
  mkdir -p "$proj" && cp -rp "$here/spark-baseline/pom.xml" "$here/spark-baseline/src" "$proj/"
  if [ ! -f "$proj/target/spark-baseline.jar" ] || [ -n "$(find "$proj/src" -newer "$proj/target/spark-baseline.jar" -print -quit)" ]; then
    (cd "$proj" && mvn -B -q package -DskipTests) > "$out/spark-build.log" 2>&1
  fi
  rm -rf "$out/spark-run" && mkdir -p "$out/spark-run"
  /usr/bin/time -v -o "$out/spark-time.txt" java -Xmx4g \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED \
    --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false \
    -cp "$proj/target/spark-baseline.jar:$proj/target/lib/*" bench.SparkBaseline \
    --workload W6 --input "$events" --dimension "$users" --max-files-per-trigger 2 \
    --master 'local[2]' --shuffle-partitions 2 --work-dir "$out/spark-run" --keep \
    > "$out/spark.out" 2> "$out/spark.err" || { tail -20 "$out/spark.err"; exit 1; }
  spark_out="$(ls -d "$out"/spark-run/spark-bench-W6-*/output | head -1)"
  read -r srows scents < <(outputs "$spark_out")
  python3 - "$out/spark.out" "$out/spark-time.txt" "$srows" "$scents" <<'PY'
import json, re, sys
r = json.loads([l for l in open(sys.argv[1]) if l.startswith("RESULT ")][-1][len("RESULT "):])
t = open(sys.argv[2]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) // 1024
print(f"W6 spark: {r['rows']:,} rows, {r['batches']} batches, query {r['wallSec']} s ="
      f" {r['rowsPerSec']:,} rows/s, batch median {r['batchMedianMs']} ms, peak RSS {rss} MB,"
      f" output {int(sys.argv[3]):,} rows, sum(cents) {sys.argv[4]}")
PY
  if [ "$(cat "$out/runner-output.txt")" != "$srows $scents" ]; then
    echo "W6: the runner wrote $(cat "$out/runner-output.txt"), Spark $srows $scents" >&2
    exit 1
  fi
fi
