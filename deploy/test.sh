#!/usr/bin/env bash
# Installs what cstad needs, builds it with its tests and runs every test, then a short fuzz
# smoke run of the decoders.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
"$root/deploy/install-deps.sh" --tests
"$root/deploy/build.sh"
(cd "$build" && ctest --output-on-failure --timeout 120 "$@")
# A few seconds of coverage-guided fuzzing of the framing and XML decoders (clang's libFuzzer).
"$root/test/fuzz/run-smoke.sh"
