#!/usr/bin/env bash
# Builds the fuzz targets with clang and runs each for a few seconds on a seed corpus made of
# protocol.md's examples. Skips (exit 0, with a note) when clang's libFuzzer is not available.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
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
"$build/bin/fuzz_framing" -max_total_time="$seconds" -print_final_stats=1 "$work/frames" 2>&1 | tail -n 3
"$build/bin/fuzz_decode_request" -max_total_time="$seconds" -print_final_stats=1 "$work/xml" 2>&1 | tail -n 3
echo "fuzz smoke: both targets ran ${seconds}s without a crash"
