#!/usr/bin/env bash
# Prints the path of a tool the tests need from a Debian package, installing the package first when
# the tool is missing and this runs as root (CI and the project's machines); otherwise says what to
# install. One install at a time per machine.
#   e2e/tools/debian-tool.sh promtool prometheus
#   e2e/tools/debian-tool.sh chromium chromium
set -euo pipefail
tool="$1" package="$2"
if ! command -v "$tool" >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "$tool is missing: install Debian's $package package (sudo apt-get install $package)" >&2
    exit 1
  fi
  exec 9>/tmp/streamloop-apt.lock
  flock 9
  if ! command -v "$tool" >/dev/null; then
    echo "installing Debian's $package package for $tool ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "$package" >&2 \
      || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "$package" >&2; }
  fi
fi
command -v "$tool"
