#!/usr/bin/env bash
# Installs the Debian packages cstad builds and runs with. Skips apt entirely when they are
# all present already, so repeated runs cost nothing.
set -euo pipefail

packages=(cmake ninja-build g++ ccache pkg-config python3 clang libclang-rt-dev
          libcaf-dev libxerces-c-dev nlohmann-json3-dev doctest-dev libspdlog-dev libssl-dev
          libcli11-dev openssl libosip2-dev libcpp-httplib-dev)
# --tests: also what only the tests drive (SIPp for TR/87, tshark for the Wireshark dissector,
# headless Chromium for the status page, gnuplot for cstaload's --plot).
if [ "${1:-}" = "--tests" ]; then
  packages+=(sip-tester tshark chromium gnuplot-nox)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
