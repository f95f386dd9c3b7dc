#!/usr/bin/env bash
# Streamloop runner benchmarks W1 to W4 (docs/architecture.md, benchmarks), over the same generated data and queries
# as the Spark baseline (shared/bench/run-spark-baseline.sh), available-now, a fresh runner process
# per run under /usr/bin/time -v. Prints one line per run and checks W1's and W4's results
# against the reference figures.
#
#   bench/run-runner-bench.sh                       # W1 to W4, 3 runs each
#   RUNS=1 WORKLOADS=W4 bench/run-runner-bench.sh
#   JAVA_OPTS="-Xmx256m" bench/run-runner-bench.sh  # extra JVM flags for the runner
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
WORK="${WORK:-/tmp/streamloop-bench}"
RUNS="${RUNS:-3}"
WORKLOADS="${WORKLOADS:-W1 W2 W3 W4}"
JAVA_OPTS="${JAVA_OPTS:--Xmx200m}"

# shellcheck source=common.sh
. "$here/common.sh"

# The queries read /input and write /output/out, their data volumes, which each run mounts on the
# generated data and the run's directory (--mount), as a pod's volumes would be.
query() { # workload maxFiles -> yaml (docs/architecture.md, benchmarks, as the Spark baseline's queries)
  local schema='[{name: ts, type: long}, {name: user, type: string}, {name: country, type: string}, {name: amount, type: double}]'
  local sql sink mode watermark=""
  case "$1" in
    W1|W4)
      sql="SELECT \"user\", CAST(amount * 100 AS BIGINT) AS cents, country FROM events WHERE country IN ('DE', 'FR', 'US')"
      sink="file: {path: /output/out}"; mode=append ;;
    W2)
      sql="SELECT country, COUNT(*) AS n, SUM(amount) AS total FROM events GROUP BY country"
      sink="console: {numRows: 100, truncate: false}"; mode=complete ;;
    W3)
      schema='[{name: ts, type: timestamp}, {name: user, type: string}, {name: country, type: string}, {name: amount, type: double}]'
      watermark="watermark: {column: ts, delay: 10s}"
      sql="SELECT window_start, window_end, country, COUNT(*) AS \"count\" FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, country"
      sink="file: {path: /output/out}"; mode=append ;;
  esac
  cat <<YAML
apiVersion: streamloop.dev/v1alpha1
kind: StreamingQuery
metadata: {name: bench-$(echo "$1" | tr 'A-Z' 'a-z')}
spec:
  sources:
    - name: events
      file: {path: /input, maxFilesPerTrigger: $2}
      schema: $schema
      ${watermark}
  query: >-
    $sql
  sinks:
    - name: out
      $sink
  outputMode: $mode
  trigger: {availableNow: {}}
  runner:
    volumes:
      - {name: input, mountPath: /input, readOnly: true, emptyDir: {}}
      - {name: output, mountPath: /output, emptyDir: {}}
YAML
}

"$root/bin/streamloop" --version >/dev/null # builds the runner and its CDS archive if needed
for run in $(seq 1 "$RUNS"); do
  for wl in $WORKLOADS; do
    case "$wl" in
      W1|W2|W3) input="$(data events-20x500000 20 500000)"; mfpt=2 ;;
      W4) input="$(data events-300x10 300 10)"; mfpt=1 ;;
      *) echo "unknown workload $wl" >&2; exit 2 ;;
    esac
    dir="$WORK/runner/$wl"
    rm -rf "$dir" && mkdir -p "$dir"
    query "$wl" "$mfpt" > "$dir/query.yaml"
    STREAMLOOP_JAVA_OPTS="$JAVA_OPTS" /usr/bin/time -v -o "$dir/time.txt" \
      "$root/bin/streamloop" run --query "$dir/query.yaml" --checkpoint "$dir/checkpoint" \
      --mount "/input=$input" --mount "/output=$dir" \
      > "$dir/stdout.txt" 2> "$dir/stderr.txt"
    python3 - "$wl" "$run" "$dir" <<'PY'
import json, re, statistics, sys, pathlib, urllib.parse
wl, run, d = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
err = (d / "stderr.txt").read_text()
t = (d / "time.txt").read_text()
batch_ms = [int(m) for m in re.findall(r"^batch \d+: \d+ rows in (\d+) ms", err, re.M)]
first = int(re.search(r"first batch done (\d+) ms", err).group(1))
summary = re.search(r"query stopped after (\d+) ms: (\d+) batches, (\d+) input rows", err)
query_ms, batches, rows = (int(x) for x in summary.groups())
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) // 1024
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
out_rows, cents, groups, total, sum_count = 0, 0, 0, 0.0, 0
if wl == "W2":
    # the console sink's last batch: | country | n | total |
    table = (d / "stdout.txt").read_text().split("Batch: ")[-1]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[1].isdigit():
            groups += 1
            out_rows += int(cells[1])
            total += float(cells[2])
else:
    for manifest in sorted((d / "out" / "_spark_metadata").iterdir(), key=lambda p: int(p.name)):
        for line in manifest.read_text().splitlines()[1:]:
            part = urllib.parse.urlparse(json.loads(line)["path"]).path
            for row in open(part):
                r = json.loads(row)
                out_rows += 1
                cents += r.get("cents", 0)
                sum_count += r.get("count", 0)
q = sorted(batch_ms)
print(f"{wl} run {run}: {rows} rows, {batches} batches, query {query_ms} ms = {rows * 1000 / query_ms:,.0f} rows/s,"
      f" batch p50 {statistics.median(q)} ms p95 {q[int(0.95 * (len(q) - 1))]} ms,"
      f" first batch {first} ms after process start, process {wall}, peak RSS {rss} MB,"
      + {"W2": f" last batch {groups} groups, sum(n) {out_rows}, sum(total) {total:.2f}",
         "W3": f" output {out_rows} rows, sum(count) {sum_count}"}.get(wl, f" output {out_rows} rows, sum(cents) {cents}"))
got = {"W1": (out_rows, cents), "W4": (out_rows, None), "W2": (groups, out_rows, round(total, 2)), "W3": (out_rows, sum_count)}[wl]
expected = {"W1": (3889716, 194526844972), "W4": (1127, None), "W2": (50, 10000000, 5001542740.71), "W3": (8300, 9940000)}[wl]
if got != expected:
    sys.exit(f"{wl}: output {got} differs from the reference {expected}")
PY
  done
done
