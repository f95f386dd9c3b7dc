#!/usr/bin/env bash
# Builds the local cluster's control plane from Go modules (upstream mains only, no Go code of
# ours): etcd, kube-apiserver, kube-controller-manager and kubectl, at the versions pinned by the
# go.mod/go.sum files beside this script.
#
# The binaries are cached per machine outside target/, keyed by the go.sum files, so `mvn clean`
# never rebuilds them and a version change always does. Prints the directory that holds them.
#   e2e/controlplane/build.sh            # build if needed, print the bin directory
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
k8s_version="$(grep -oE "k8s.io/kubernetes v[0-9.]+" "$here/kube/go.mod" | head -1 | cut -d" " -f2)"
etcd_version="$(grep -oE "go.etcd.io/etcd/server/v3 v[0-9.]+" "$here/etcd/go.mod" | head -1 | cut -d" " -f2)"
key="$(cat "$here/kube/go.mod" "$here/kube/go.sum" "$here/etcd/go.mod" "$here/etcd/go.sum" | sha256sum | cut -c1-16)"
cache="${STREAMLOOP_CONTROLPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/streamloop/controlplane}"
bin="$cache/$key/bin"
tools=(etcd kube-apiserver kube-controller-manager kubectl)

complete() {
  for t in "${tools[@]}"; do [ -x "$bin/$t" ] || return 1; done
}

if ! complete; then
  command -v go >/dev/null || {
    echo "the local cluster needs Go ($(sed -n 's/^go //p' "$here/kube/go.mod") or newer) to build its control plane: install it and re-run" >&2
    exit 1
  }
  # one build at a time per machine: a second caller waits for the first one's binaries
  mkdir -p "$cache"
  exec 9>"$cache/.build.lock"
  flock 9
  if ! complete; then
    started=$SECONDS
    echo "building etcd $etcd_version, kube-apiserver, kube-controller-manager and kubectl $k8s_version from Go modules, once per machine (~15 min on 2 cores) ..." >&2
    tmp="$cache/$key/bin.partial"
    rm -rf "$tmp" && mkdir -p "$tmp"
    export GOTOOLCHAIN=local GOFLAGS=-mod=readonly CGO_ENABLED=0
    minor="$(echo "$k8s_version" | cut -d. -f2)"
    # without these the servers report v0.0.0-master as their version
    ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$k8s_version \
      -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor \
      -X k8s.io/client-go/pkg/version.gitVersion=$k8s_version \
      -X k8s.io/component-base/version.gitTreeState=clean"
    (cd "$here/kube" && go build -trimpath -ldflags "$ldflags" -o "$tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kubectl)
    (cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3)
    rm -rf "$bin" && mv "$tmp" "$bin"
    echo "built the control plane in $((SECONDS - started)) s: $bin" >&2
  fi
fi
echo "$bin"
