#!/usr/bin/env bash
# Builds the fuzz targets with clang and runs each for a few seconds on a seed corpus made of
# protocol.md's examples (plus the inputs that once crashed, regression-*.xml). Skips (exit 0,
# with a note) when clang's libFuzzer is not available.
#
# Environment:
#   FUZZ_SECONDS    how long each target runs (default 5).
#   FUZZ_BUILD_DIR  where the fuzz build goes; default "${BUILD_DIR}-fuzz", i.e. next to the
#                   ordinary build and named after it (BUILD_DIR defaults to <repo>/build, so
#                   <repo>/build-fuzz). It is configured once with clang and -DCSTAD_FUZZ=ON.
#
# Nothing is written into the repository outside the fuzz build dir: libFuzzer's crash, leak,
# timeout and oom inputs go to $FUZZ_BUILD_DIR/fuzz-artifacts/ (-artifact_prefix), and its
# corpus additions to a temporary directory.
#
# On success each target prints the last lines of its final stats. When a target crashes, its
# whole libFuzzer/ASan output is printed with the artifact's path, and the script exits non-zero.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${FUZZ_BUILD_DIR:-${BUILD_DIR:-$root/build}-fuzz}"
seconds="${FUZZ_SECONDS:-5}"

if ! command -v clang++ >/dev/null; then
  echo "fuzz smoke: clang++ not found, skipped"; exit 0
fi
probe="$(mktemp -d)"
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long){return 0;}\n' > "$probe/p.cpp"
if ! clang++ -fsanitize=fuzzer "$probe/p.cpp" -o "$probe/p" 2>/dev/null; then
  echo "fuzz smoke: clang has no libFuzzer runtime, skipped"; rm -rf "$probe"; exit 0
fi
rm -rf "$probe"

if [ ! -f "$build/build.ninja" ]; then
  CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCSTAD_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build"
build="$(cd "$build" && pwd)"  # absolute: the fuzzers run from a temporary directory
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"

corpus="$root/test/fuzz/corpus"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/xml" "$work/frames"
cp "$corpus"/*.xml "$work/xml/"
# Framing seeds: each example framed, with a leading chunk-size byte (see fuzz_framing.cpp).
python3 - "$corpus" "$work/frames" <<'PY'
import pathlib, struct, sys
src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for i, f in enumerate(sorted(src.glob("*.xml"))):
    body = f.read_bytes()
    frame = b"\0\0" + struct.pack(">H", len(body) + 8) + b"%04d" % (i + 1) + body
    (dst / (f.stem + ".bin")).write_bytes(bytes([i % 64]) + frame + frame)
PY

# run <target> <corpus dir>: the last stat lines on success; the whole output, the artifact and
# a non-zero status on a crash.
failed=0
run() {
  local target="$1" seeds="$2" log="$work/$1.log" status=0
  # From $work, so that whatever libFuzzer writes to its working directory stays out of the repo.
  (cd "$work" && "$build/bin/$target" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" "$seeds") >"$log" 2>&1 || status=$?
  if [ "$status" -eq 0 ]; then
    tail -n 3 "$log"
    return 0
  fi
  failed=1
  cat "$log"
  echo
  echo "fuzz smoke: $target FAILED (exit status $status)"
  local written
  written="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log")"
  if [ -n "$written" ]; then
    while IFS= read -r f; do echo "fuzz smoke: input that fails: $f"; done <<<"$written"
    echo "fuzz smoke: reproduce with: $build/bin/$target <that file>"
  else
    echo "fuzz smoke: libFuzzer wrote no artifact (see the output above)"
  fi
}
run fuzz_framing "$work/frames"
run fuzz_decode_request "$work/xml"
if [ "$failed" -ne 0 ]; then
  echo "fuzz smoke: FAILED; artifacts are in $artifacts" >&2
  exit 1
fi
echo "fuzz smoke: both targets ran ${seconds}s without a crash"
