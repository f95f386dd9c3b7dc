#!/usr/bin/env bash
# Builds Helm's command from Go modules, at the version pinned by helm/go.mod and go.sum, once per
# machine (cached outside target/, keyed by those files, like the control plane). Prints the path of
# the helm binary.
#   e2e/tools/build-helm.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(grep -oE "helm.sh/helm/v4 v[0-9.]+" "$here/helm/go.mod" | head -1 | cut -d" " -f2)"
key="$(cat "$here/helm/go.mod" "$here/helm/go.sum" | sha256sum | cut -c1-16)"
cache="${STREAMLOOP_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/streamloop/tools}/helm-$key"
if [ ! -x "$cache/helm" ]; then
  command -v go >/dev/null || { echo "building Helm needs Go (see README): install it and re-run" >&2; exit 1; }
  mkdir -p "$cache"
  exec 9>"$cache/.build.lock"
  flock 9
  if [ ! -x "$cache/helm" ]; then
    started=$SECONDS
    echo "building helm $version from Go modules, once per machine ..." >&2
    (cd "$here/helm" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly CGO_ENABLED=0 \
      go build -trimpath -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$version" \
      -o "$cache/helm.partial" helm.sh/helm/v4/cmd/helm)
    mv "$cache/helm.partial" "$cache/helm"
    echo "built helm in $((SECONDS - started)) s" >&2
  fi
fi
echo "$cache/helm"
