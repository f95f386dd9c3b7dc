# Shared by the benchmark scripts: sourced, with $here (this folder) and $WORK set.

data() { # name files rows [seed] -> dir of generated JSON-lines files (once; gen.py is deterministic)
  local dir="$WORK/data/$1"
  if [ ! -f "$dir.ok" ]; then
    rm -rf "$dir"
    python3 "$here/gen.py" "$dir" "$2" "$3" "${4:-42}"
    touch "$dir.ok"
  fi
  echo "$dir"
}

# rows and sum of cents of a JSON-lines output directory (the file sink's committed files, or all)
outputs() {
  python3 - "$1" <<'PY'
import json, pathlib, sys, urllib.parse
d = pathlib.Path(sys.argv[1])
meta = d / "_spark_metadata"
files = []
if meta.is_dir():
    # batch logs 0, 1, ... and Spark's compactions N.compact, which hold every batch up to N
    logs = {int(p.name.split(".")[0]): p for p in meta.iterdir() if p.name.split(".")[0].isdigit()}
    compacts = [n for n, p in logs.items() if p.name.endswith(".compact")]
    start = max(compacts) if compacts else 0
    for n in sorted(n for n in logs if n >= start):
        for line in logs[n].read_text().splitlines()[1:]:
            files.append(urllib.parse.urlparse(json.loads(line)["path"]).path)
rows = cents = 0
for f in files:
    for line in open(f):
        rows += 1
        cents += json.loads(line)["cents"]
print(rows, cents)
PY
}
