#!/usr/bin/env bash
# Installs cstad as a service: builds it (deploy/build.sh), then puts the programs in
# $PREFIX/bin (/usr/local/bin), the systemd unit cstad@.service (one instance per LIM), a default
# /etc/cstad/lim1.conf and the README; creates the system user cstad. With DESTDIR set (a
# staging root, e.g. for packaging or a test) it only copies files: no user, no systemctl.
#   sudo deploy/install.sh && sudo systemctl enable --now cstad@1
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
prefix="${PREFIX:-/usr/local}"
dest="${DESTDIR:-}"
sudo=""
[ "$(id -u)" -ne 0 ] && [ -z "$dest" ] && sudo="sudo"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  "$root/deploy/install-deps.sh"
  BUILD_TARGET="cstad csta csta_authentication mxone_certificate data_backup data_restore" "$root/deploy/build.sh"
fi

$sudo install -d "$dest$prefix/bin" "$dest/etc/systemd/system" "$dest/etc/cstad" "$dest$prefix/share/doc/cstad"
for program in cstad csta csta_authentication mxone_certificate data_backup data_restore; do
  $sudo install -m 0755 "$build/bin/$program" "$dest$prefix/bin/$program"
done
sed "s|/usr/local/|$prefix/|g" "$root/deploy/systemd/cstad@.service" |
  $sudo tee "$dest/etc/systemd/system/cstad@.service" > /dev/null
$sudo install -m 0644 "$root/README.md" "$dest$prefix/share/doc/cstad/README.md"
if [ ! -e "$dest/etc/cstad/lim1.conf" ]; then  # an operator's settings are kept
  printf '%s\n' "# Options of LIM 1 (cstad --help lists them all); systemctl restart cstad@1 after a change." \
    "# --host=0.0.0.0 serves other machines; --system=/etc/cstad/system.json joins LIMs into one system." \
    'CSTAD_OPTIONS="--port=8882 --host=127.0.0.1"' | $sudo tee "$dest/etc/cstad/lim1.conf" > /dev/null
fi

if [ -z "$dest" ]; then
  if ! id cstad > /dev/null 2>&1; then
    $sudo useradd --system --home-dir /var/lib/cstad --no-create-home --shell /usr/sbin/nologin cstad
  fi
  if [ -d /run/systemd/system ]; then
    $sudo systemctl daemon-reload
  fi
  echo "Installed. Start LIM 1: sudo systemctl enable --now cstad@1; its log: journalctl -u cstad@1"
fi
