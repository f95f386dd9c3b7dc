#!/usr/bin/env bash
# W5, large state (docs/architecture.md, benchmarks): GROUP BY "user" with COUNT and SUM over
# KEYS distinct users (default 20M, one file of ROWS_PER_FILE new users a batch), update mode, the
# runner with the RocksDB store in a cgroup limited to 512 MiB (the pod's memory limit: heap 40%,
# RocksDB a quarter), side by side with Spark 4 local[2] and its RocksDB state store provider on
# the same files; the time to recover after a SIGKILL halfway; then, on a state of KEYS/10 keys,
# one batch each that changes 1%, 10% and 100% of them (checkpoint bytes per batch). Those change
# batches run with CHANGE_LIMIT_MB (4 GiB): the runner holds a batch's changed groups and output
# rows on its heap, which a 512 MiB runner cannot for 2M groups at once.
#
#   bench/run-state-bench.sh                  # everything (about 15 minutes on 2 cores)
#   KEYS=2000000 bench/run-state-bench.sh     # smaller
#   SPARK=0 bench/run-state-bench.sh          # the runner only
#   SPARK=0 PHASES=changes bench/run-state-bench.sh   # one phase: main, changes, recovery
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
WORK="${WORK:-/tmp/streamloop-bench}"
KEYS="${KEYS:-20000000}"
ROWS_PER_FILE="${ROWS_PER_FILE:-200000}"
LIMIT_MB="${LIMIT_MB:-512}"
CHANGE_LIMIT_MB="${CHANGE_LIMIT_MB:-4096}"
SPARK="${SPARK:-1}"
PHASES="${PHASES:-main changes recovery}"  # which runner phases run
out="$WORK/w5"
mkdir -p "$out"

# files of rows whose users are u<first>..u<first+count-1>, one row each, ROWS_PER_FILE a file
gen() { # dir first count
  local dir="$1"
  if [ -f "$dir.ok" ]; then return; fi
  rm -rf "$dir" && mkdir -p "$dir"
  python3 - "$dir" "$2" "$3" "$ROWS_PER_FILE" <<'PY'
import os, sys
d, first, count, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for f, start in enumerate(range(first, first + count, per)):
    end = min(start + per, first + count)
    with open(os.path.join(d, "part-%05d.json" % f), "w") as out:
        out.write("".join('{"ts": %d, "user": "u%d", "country": "DE", "amount": %d.5}\n'
                          % (1700000000000 + g, g, g % 1000) for g in range(start, end)))
    os.utime(os.path.join(d, "part-%05d.json" % f), (1700000000 + f, 1700000000 + f))
PY
  touch "$dir.ok"
}

query() { # input-dir maxFilesPerTrigger
  cat <<YAML
apiVersion: streamloop.dev/v1alpha1
kind: StreamingQuery
metadata: {name: bench-w5}
spec:
  sources:
    - name: events
      file: {path: /input, maxFilesPerTrigger: $2}
      schema: [{name: ts, type: long}, {name: user, type: string}, {name: country, type: string}, {name: amount, type: double}]
  query: SELECT "user", COUNT(*) AS n, SUM(amount) AS total FROM events GROUP BY "user"
  sinks:
    - name: out
      console: {numRows: 1}
  outputMode: update
  trigger: {availableNow: {}}
  state: {store: rocksdb}
  runner:
    volumes:
      - {name: input, mountPath: /input, readOnly: true, emptyDir: {}}
YAML
}

# runs the runner in a memory cgroup of LIMIT_MB with the environment the operator gives a RocksDB
# runner's pod: name input mfpt checkpoint [limit]
run_runner() {
  local name="$1" input="$2" mfpt="$3" checkpoint="$4" dir="$out/$1" LIMIT_MB="${5:-$LIMIT_MB}"
  rm -rf "$dir" && mkdir -p "$dir"
  query "$input" "$mfpt" > "$dir/query.yaml"
  local cg=/sys/fs/cgroup/memory/streamloop-w5
  mkdir -p "$cg" && echo $((LIMIT_MB << 20)) > "$cg/memory.limit_in_bytes" && echo 0 > "$cg/memory.max_usage_in_bytes" || true
  MALLOC_ARENA_MAX=2 STREAMLOOP_MEMORY_LIMIT=$((LIMIT_MB << 20)) STREAMLOOP_LOCAL_DIR="$out/local" \
  STREAMLOOP_JAVA_OPTS="-XX:MaxRAM=${LIMIT_MB}m -XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError ${EXTRA_JAVA_OPTS:-}" \
    /usr/bin/time -v -o "$dir/time.txt" sh -c "echo \$\$ > $cg/cgroup.procs 2>/dev/null; exec \"\$@\"" sh \
    "$root/bin/streamloop" run --query "$dir/query.yaml" --checkpoint "$checkpoint" \
    --mount "/input=$input" > "$dir/stdout.txt" 2> "$dir/stderr.txt" &
  echo $! > "$dir/pid"
}

report_runner() { # name
  local dir="$out/$1"
  python3 - "$1" "$dir" "$(cat /sys/fs/cgroup/memory/streamloop-w5/memory.max_usage_in_bytes 2>/dev/null || echo 0)" <<'PY'
import re, sys, pathlib
name, d, cg = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
err = (d / "stderr.txt").read_text()
t = (d / "time.txt").read_text()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) // 1024
summary = re.search(r"query stopped after (\d+) ms: (\d+) batches, (\d+) input rows", err)
first = re.search(r"first batch done (\d+) ms", err)
states = re.findall(r"state: (\d+) keys \((\d+) updated.*commit (\d+) ms, (\d+) bytes written", err)
line = f"{name}: "
if summary:
    ms, batches, rows = (int(x) for x in summary.groups())
    line += f"{rows:,} rows in {batches} batches, {ms} ms = {rows * 1000 / max(ms, 1):,.0f} rows/s, "
if first:
    line += f"first batch done {first.group(1)} ms after process start, "
line += f"peak RSS {rss} MB, cgroup peak {cg >> 20} MB (limit incl. page cache)"
print(line)
for keys, updated, commit, written in states:
    print(f"  batch: state {int(keys):,} keys, {int(updated):,} changed, commit {commit} ms, {int(written):,} checkpoint bytes")
PY
}

"$root/bin/streamloop" --version >/dev/null # builds the runner if needed
keys_dir="$WORK/data/w5-keys-$KEYS-$ROWS_PER_FILE"; gen "$keys_dir" 0 "$KEYS"
small=$((KEYS / 10))
small_dir="$WORK/data/w5-keys-$small-$ROWS_PER_FILE"; gen "$small_dir" 0 "$small"

if [[ " $PHASES " == *" main "* ]]; then
  echo "== W5 runner: $KEYS distinct keys, $ROWS_PER_FILE new keys a batch, RocksDB, ${LIMIT_MB} MiB cgroup"
  rm -rf "$out/cp-main" "$out/local"
  run_runner main "$keys_dir" 1 "$out/cp-main"; wait "$(cat "$out/main/pid")" || { tail -20 "$out/main/stderr.txt"; exit 1; }
  report_runner main > "$out/main/report.txt"; head -1 "$out/main/report.txt"
  du -sh "$out/cp-main/state" | sed 's/^/checkpoint state on disk (retainBatches 100): /'
fi

# checkpoint bytes of one batch that changes 1%, 10% and 100% of a state of KEYS/10 keys; the
# state is built from the same directory the change files are added to (a file source knows its
# files by path)
if [[ " $PHASES " == *" changes "* ]]; then
  rm -rf "$out/cp-small"
  combined="$out/input-changes"; rm -rf "$combined" && mkdir -p "$combined"
  ln "$small_dir"/part-*.json "$combined/"
  run_runner small "$combined" 1000 "$out/cp-small" "$CHANGE_LIMIT_MB"; wait "$(cat "$out/small/pid")"
  echo "== a state of $small keys (one batch, ${CHANGE_LIMIT_MB} MiB), then batches changing 1%, 10%, 100% of its keys"
  report_runner small > "$out/small/report.txt"; tail -n +2 "$out/small/report.txt"
  for pct in 1 10 100; do
    changes="$WORK/data/w5-change-$small-$pct-$ROWS_PER_FILE"
    gen "$changes" 0 $((small * pct / 100))
    for f in "$changes"/part-*.json; do ln "$f" "$combined/z$(printf %03d "$pct")-$(basename "$f")"; done
    run_runner "change-$pct" "$combined" 1000 "$out/cp-small" "$CHANGE_LIMIT_MB"; wait "$(cat "$out/change-$pct/pid")"
    echo "$pct%:"; report_runner "change-$pct" > "$out/change-$pct/report.txt"; tail -n +2 "$out/change-$pct/report.txt"
  done
fi

# recovery: SIGKILL in the middle of the run, then the time from the new process's start to its
# first batch (the store rebuilt from the checkpoint, the interrupted batch re-run)
if [[ " $PHASES " == *" recovery "* ]]; then
  rm -rf "$out/cp-kill"
  run_runner killed "$keys_dir" 1 "$out/cp-kill"
  until grep -q "^batch $(( KEYS / ROWS_PER_FILE / 2 )):" "$out/killed/stderr.txt" 2>/dev/null; do sleep 0.2; done
  pkill -9 -f -- "--checkpoint $out/cp-kill" || true
  wait "$(cat "$out/killed/pid")" 2>/dev/null || true
  run_runner recovered "$keys_dir" 1 "$out/cp-kill"; wait "$(cat "$out/recovered/pid")"
  echo "== recovery after SIGKILL at batch $(( KEYS / ROWS_PER_FILE / 2 ))"; report_runner recovered > "$out/recovered/report.txt"; head -1 "$out/recovered/report.txt"
fi

if [ "$SPARK" = 1 ]; then
  proj="$WORK/spark-w5"
  mkdir -p "$proj" && cp -rp "$here/spark-baseline/pom.xml" "$here/spark-baseline/src" "$proj/"
  if [ ! -f "$proj/target/spark-baseline.jar" ] || [ -n "$(find "$proj/src" -newer "$proj/target/spark-baseline.jar" -print -quit)" ]; then
    (cd "$proj" && mvn -B -q package -DskipTests) > "$out/spark-build.log" 2>&1
  fi
  rm -rf "$out/spark-run" && mkdir -p "$out/spark-run"
  echo "== W5 Spark 4 local[2], RocksDBStateStoreProvider, 2 shuffle partitions, same files"
  /usr/bin/time -v -o "$out/spark-time.txt" java -Xmx4g -XX:+IgnoreUnrecognizedVMOptions \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED \
    --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false \
    -cp "$proj/target/spark-baseline.jar:$proj/target/lib/*" bench.SparkBaseline \
    --workload W5 --input "$keys_dir" --max-files-per-trigger 1 --master 'local[2]' \
    --shuffle-partitions 2 --work-dir "$out/spark-run" \
    --conf spark.sql.streaming.stateStore.providerClass=org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider \
    --conf spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled=true \
    > "$out/spark.out" 2> "$out/spark.err" || { tail -20 "$out/spark.err"; exit 1; }
  python3 - "$out/spark.out" "$out/spark-time.txt" <<'PY'
import json, re, sys
r = json.loads([l for l in open(sys.argv[1]) if l.startswith("RESULT ")][-1][len("RESULT "):])
t = open(sys.argv[2]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) // 1024
print(f"spark: {json.dumps({k: r[k] for k in r if k in ('rows', 'batches', 'wallSec', 'rowsPerSec', 'batchMedianMs', 'stateRowsLast')})}, peak RSS {rss} MB")
PY
fi
