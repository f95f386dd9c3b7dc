# Shared by the benchmark scripts: sourced, with $here (this folder) and $WORK set.

data() { # name files rows -> dir of generated JSON-lines files (once; gen.py is deterministic)
  local dir="$WORK/data/$1"
  if [ ! -f "$dir.ok" ]; then
    rm -rf "$dir"
    python3 "$here/gen.py" "$dir" "$2" "$3" 42
    touch "$dir.ok"
  fi
  echo "$dir"
}
