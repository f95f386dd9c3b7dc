#!/usr/bin/env bash
# W7, a join of two streams (docs/architecture.md, benchmarks): two W1-shaped streams of 10M events
# each (20 files of 500,000, one file of each a batch; the second generated with another seed),
# each with a 30 s watermark, joined on user and country where the second's event lies within 10
# minutes after the first's, written as JSON files, available-now; the runner in a fresh process
# under /usr/bin/time -v, side by side with Spark 4 local[2] on the same files. Prints rows/s (input
# rows of both streams) and peak RSS of each, and checks that both wrote the same rows (count and
# sum of cents).
#
#   bench/run-stream-join-bench.sh              # runner and Spark, 3 runner runs
#   RUNS=1 SPARK=0 bench/run-stream-join-bench.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
WORK="${WORK:-/tmp/streamloop-bench}"
RUNS="${RUNS:-3}"
SPARK="${SPARK:-1}"
JAVA_OPTS="${JAVA_OPTS:--Xmx2g}"
out="$WORK/w7"
mkdir -p "$out"

# shellcheck source=common.sh
. "$here/common.sh"
earlier="$(data events-20x500000 20 500000)"
later="$(data events-seed43-20x500000 20 500000 43)"

cat > "$out/query.yaml" <<'YAML'
apiVersion: streamloop.dev/v1alpha1
kind: StreamingQuery
metadata: {name: bench-w7}
spec:
  sources:
    - name: earlier
      file: {path: /earlier, maxFilesPerTrigger: 1}
      schema: [{name: ts, type: timestamp}, {name: user, type: string}, {name: country, type: string}, {name: amount, type: double}]
      watermark: {column: ts, delay: 30s}
    - name: later
      file: {path: /later, maxFilesPerTrigger: 1}
      schema: [{name: ts, type: timestamp}, {name: user, type: string}, {name: country, type: string}, {name: amount, type: double}]
      watermark: {column: ts, delay: 30s}
  query: >-
    SELECT a.`user`, a.country, CAST(b.amount * 100 AS BIGINT) AS cents
    FROM earlier a JOIN later b ON a.`user` = b.`user` AND a.country = b.country
    AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '10' MINUTE
  sinks:
    - name: out
      file: {path: /output/out}
  outputMode: append
  trigger: {availableNow: {}}
  runner:
    volumes:
      - {name: earlier, mountPath: /earlier, readOnly: true, emptyDir: {}}
      - {name: later, mountPath: /later, readOnly: true, emptyDir: {}}
      - {name: output, mountPath: /output, emptyDir: {}}
YAML

"$root/bin/streamloop" --version >/dev/null # builds the runner if needed
for run in $(seq 1 "$RUNS"); do
  dir="$out/runner"
  rm -rf "$dir" && mkdir -p "$dir"
  STREAMLOOP_JAVA_OPTS="$JAVA_OPTS" /usr/bin/time -v -o "$dir/time.txt" \
    "$root/bin/streamloop" run --query "$out/query.yaml" --checkpoint "$dir/checkpoint" \
    --mount "/earlier=$earlier" --mount "/later=$later" --mount "/output=$dir" \
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
print(f"W7 runner run {run}: {rows:,} rows, {batches} batches, query {query_ms} ms ="
      f" {rows * 1000 / query_ms:,.0f} rows/s, batch p50 {statistics.median(batch_ms)} ms,"
      f" peak RSS {rss} MB, output {out_rows:,} rows, sum(cents) {cents}")
PY
done

if [ "$SPARK" = 1 ]; then
  proj="$WORK/spark-w7"
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
    --workload W7 --input "$earlier" --input2 "$later" --max-files-per-trigger 1 \
    --master 'local[2]' --shuffle-partitions 2 --work-dir "$out/spark-run" --keep \
    > "$out/spark.out" 2> "$out/spark.err" || { tail -20 "$out/spark.err"; exit 1; }
  spark_out="$(ls -d "$out"/spark-run/spark-bench-W7-*/output | head -1)"
  read -r srows scents < <(outputs "$spark_out")
  python3 - "$out/spark.out" "$out/spark-time.txt" "$srows" "$scents" <<'PY'
import json, re, sys
r = json.loads([l for l in open(sys.argv[1]) if l.startswith("RESULT ")][-1][len("RESULT "):])
t = open(sys.argv[2]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) // 1024
# Spark's progress counts the input rows of one of the two streams (10M): the rate here is over
# the 20M rows both streams hold, as the runner's is
print(f"W7 spark: 20,000,000 rows, {r['batches']} batches, query {r['wallSec']} s ="
      f" {20_000_000 / float(r['wallSec']):,.0f} rows/s, batch median {r['batchMedianMs']} ms,"
      f" peak RSS {rss} MB, output {int(sys.argv[3]):,} rows, sum(cents) {sys.argv[4]}")
PY
  if [ "$(cat "$out/runner-output.txt")" != "$srows $scents" ]; then
    echo "W7: the runner wrote $(cat "$out/runner-output.txt"), Spark $srows $scents" >&2
    exit 1
  fi
fi
