#!/usr/bin/env bash
# Installs what cstad needs, builds it and starts it with the built-in demo exchange
# (extensions 1000-1099, CSTA XML on 127.0.0.1:8882). Arguments go to cstad (see --help).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/deploy/install-deps.sh"
# The server and the operator's commands (csta, csta_authentication, data_backup, data_restore,
# mxone_certificate).
BUILD_TARGET="cstad csta csta_authentication data_backup data_restore mxone_certificate" "$root/deploy/build.sh"
exec "${BUILD_DIR:-$root/build}/bin/cstad" "$@"
