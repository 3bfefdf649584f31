#!/usr/bin/env bash
# Installs what cstad needs, builds it with its tests and runs every test.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
"$root/deploy/install-deps.sh"
"$root/deploy/build.sh"
cd "$build"
ctest --output-on-failure --timeout 120 "$@"
