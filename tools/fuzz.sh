#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (clang, with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs each for SECONDS seconds (default 60)
# on its corpus in fuzz/corpus/<target>/ (new inputs go to build/fuzz/), then
# the Python API target (python_api, atheris, installed into .venv if missing).
#   bash tools/fuzz.sh [SECONDS] [TARGET...]
# Needs clang and its runtime (Debian: apt-get install clang libclang-rt-14-dev).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(decoders queue_ops store_meta python_api)
native=()
python_api=false
for target in "${targets[@]}"; do
  if [ "$target" = python_api ]; then python_api=true; else native+=("$target"); fi
done
targets=("${native[@]}")

cxx=${CXX_FUZZ:-clang++}
if ! command -v "$cxx" >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "fuzz: installing clang"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
fi
if ! command -v "$cxx" >/dev/null; then
  echo "fuzz: $cxx not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi
flags=(-std=c++17 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=all -Icpp/include -Icpp/src -DROCKSQ_VERSION='"fuzz"')
out=build/fuzz
mkdir -p "$out/obj"

# The library, once (make-like: only sources newer than their object).
objects=()
running=0
for src in $(find cpp/src -name '*.cpp' | sort); do
  obj="$out/obj/$(echo "${src#cpp/src/}" | tr / _).o"
  objects+=("$obj")
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] ||
     [ -n "$(find cpp/src cpp/include -name '*.hpp' -newer "$obj" -print -quit)" ]; then
    "$cxx" "${flags[@]}" -c "$src" -o "$obj" &
    running=$((running + 1))
    if [ "$running" -ge "$(nproc)" ]; then wait -n; running=$((running - 1)); fi
  fi
done
while [ "$running" -gt 0 ]; do wait -n; running=$((running - 1)); done

for target in "${targets[@]}"; do
  "$cxx" "${flags[@]/fuzzer-no-link/fuzzer}" "fuzz/$target.cpp" "${objects[@]}" \
    -lrocksdb -lpthread -o "$out/$target"
done

status=0
for target in "${targets[@]}"; do
  mkdir -p "$out/corpus/$target" "$out/artifacts/$target"
  echo "fuzz: $target for ${seconds}s"
  # RocksDB (not instrumented) leaks nothing, but its static objects outlive main.
  ASAN_OPTIONS=detect_leaks=0 "$out/$target" -max_total_time="$seconds" -print_final_stats=1 \
      -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$out/artifacts/$target/" \
      "$out/corpus/$target" "fuzz/corpus/$target" 2>&1 |
    grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|decoders:|queue_ops:|store_meta:)" ||
    true
  if ls "$out/artifacts/$target/" | grep -q .; then
    echo "fuzz: $target FOUND CRASHES in $out/artifacts/$target/" >&2
    status=1
  fi
done
# The Python API under atheris (from PyPI), in the package's virtualenv.
if $python_api && [ -x .venv/bin/python ]; then
  .venv/bin/python -c 'import atheris' 2>/dev/null ||
    .venv/bin/python -m pip install -q atheris >/dev/null 2>&1 || true
  if .venv/bin/python -c 'import atheris' 2>/dev/null; then
    mkdir -p "$out/corpus/python_api" "$out/artifacts/python_api"
    echo "fuzz: python_api for ${seconds}s"
    .venv/bin/python fuzz/python_api.py -max_total_time="$seconds" -print_final_stats=1 \
        -timeout=10 -artifact_prefix="$out/artifacts/python_api/" \
        "$out/corpus/python_api" fuzz/corpus/python_api 2>&1 |
      grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|=== Uncaught|Traceback)" || true
    if ls "$out/artifacts/python_api/" | grep -q .; then
      echo "fuzz: python_api FOUND CRASHES in $out/artifacts/python_api/" >&2
      status=1
    fi
  else
    echo "fuzz: python_api skipped: atheris cannot be installed"
  fi
fi
exit $status
