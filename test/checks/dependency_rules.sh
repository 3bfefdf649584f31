#!/usr/bin/env bash
# The dependency rules of the layout (see README, "Layout"), checked on every include:
# an include that breaks one is a design bug, so the test suite fails on it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
failed=0

# forbid FOLDER PATTERN WHY: no file under FOLDER may have an include line matching PATTERN.
forbid() {
  local hits
  hits="$(grep -rnE "^#include [<\"]($2)" "$1" --include='*.hpp' --include='*.cpp' || true)"
  if [ -n "$hits" ]; then
    echo "dependency rule broken: $3"
    echo "$hits"
    failed=1
  fi
}

forbid protocol 'caf/|sim/|service/|transport/|actors/|admin/|common/' \
  "protocol/ is pure C++: no CAF, nothing from the layers above it"
forbid sim 'caf/|service/|transport/|actors/|admin/|common/' \
  "sim/ is pure C++: no CAF, nothing from the layers above it"
forbid service 'caf/|actors/|admin/|transport/[^c]|common/fan_out' \
  "service/ is CAF-free and knows carriers only by their correlation"
forbid transport 'sim/|service/|actors/|admin/|protocol/[^f]' \
  "transport/ knows nothing of CSTA services (framing aside)"
forbid common 'protocol/|sim/|service/|transport/|actors/|admin/' \
  "common/ serves every layer and depends on none"
# admin/ reaches the server only through the node's messages: of actors/, the interfaces
# (actors.hpp), the CAF configuration the tools share (config.hpp), the admin channel
# (unix_socket_basp.hpp) and how its errors read (error_text.hpp).
hits="$(grep -rnE '^#include "actors/' admin --include='*.hpp' --include='*.cpp' |
        grep -vE '"actors/(actors|config|unix_socket_basp|error_text)\.hpp"' || true)"
if [ -n "$hits" ]; then
  echo "dependency rule broken: admin/ may include only the node's interfaces, configuration and channel"
  echo "$hits"
  failed=1
fi
forbid service 'admin/' \
  "service/ knows nothing of the configuration store"
forbid tools 'caf/|sim/|service/|transport/|actors/|admin/|common/' \
  "tools/ are black-box clients of a CSTA server: the codec (protocol/) and nothing of the server"

[ "$failed" -eq 0 ] && echo "dependency rules hold"
exit "$failed"
