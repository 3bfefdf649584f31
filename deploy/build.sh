#!/usr/bin/env bash
# Configures (once) and builds cstad into build/ (binaries in build/bin). Extra arguments go
# to CMake, e.g. -DCSTAD_SANITIZE=ON with BUILD_DIR=build-asan; BUILD_TARGET builds only those.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
if [ ! -f "$build/build.ninja" ] || [ $# -gt 0 ]; then
  cmake -S "$root" -B "$build" -G Ninja "$@"
fi
# BUILD_TARGET may name several targets, separated by spaces.
cmake --build "$build" ${BUILD_TARGET:+--target $BUILD_TARGET}
