#!/usr/bin/env bash
# Builds the unit, actor and integration tests with AddressSanitizer and UndefinedBehavior-
# Sanitizer (into build-asan/) and runs them: what touches lifetimes and buffers is checked on
# every CI run. Installs what it needs first, like deploy/test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ASAN_BUILD_DIR:-$root/build-asan}"
"$root/deploy/install-deps.sh" --tests
BUILD_DIR="$build" BUILD_TARGET="unit_tests actor_tests integration_tests" \
  "$root/deploy/build.sh" -DCSTAD_SANITIZE=ON
# Any report fails the test that caused it; UBSan stops at the first finding.
export ASAN_OPTIONS="abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
(cd "$build" && ctest --output-on-failure --no-tests=error --timeout 300 -j2 -R "^(unit|actors|integration):" "$@")
