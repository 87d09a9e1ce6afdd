#!/usr/bin/env bash
# Runs every test: the C++ tests (ctest), the type and docs checks, the wheels
# (tools/wheels.sh), and the Python tests (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh

jobs=$(nproc)
cmake -S . -B build/cpp-tests -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROCKSQ_BUILD_TESTS=ON >/dev/null
cmake --build build/cpp-tests -j "$jobs"
ctest --test-dir build/cpp-tests --output-on-failure -j "$jobs"
# The same C++ tests under AddressSanitizer + UndefinedBehaviorSanitizer, then
# under ThreadSanitizer.
bash tools/sanitize.sh
SANITIZER=thread bash tools/sanitize.sh

# The differential tests compare rocksq with the reference, rocksq 0.3.0 from
# PyPI, run in its own virtualenv (they skip if it cannot be installed).
if [ -z "${ROCKSQ_REFERENCE_PYTHON:-}" ]; then
  ROCKSQ_REFERENCE_PYTHON=$(bash tools/ref-venv.sh)
  export ROCKSQ_REFERENCE_PYTHON
fi

# The fuzz targets, briefly (the long run: bash tools/fuzz.sh 3600).
bash tools/fuzz.sh 30

bash tools/typecheck.sh
bash tools/docs.sh
# The wheels (tools/wheels.sh): x86_64 for every Python, aarch64 for the
# Python of the arm64 test root (3.11), and the sdist.  The aarch64 RocksDB
# build takes about 20 minutes on a fresh machine: CI builds the aarch64 wheel
# when that build is in the cache ($HOME/.cache/rocksq) and says so when it
# skips it (ROCKSQ_WHEELS_AARCH64_IF_CACHED=0 builds it regardless).
ROCKSQ_WHEELS_AARCH64=${ROCKSQ_WHEELS_AARCH64-3.11} \
  ROCKSQ_WHEELS_AARCH64_IF_CACHED=${ROCKSQ_WHEELS_AARCH64_IF_CACHED-1} \
  bash tools/wheels.sh

# A short long-trace soak on seeds pytest does not run (the long one:
# tools/trace_soak.py with its defaults).
reference=(--no-reference)
[ -z "$ROCKSQ_REFERENCE_PYTHON" ] || reference=(--reference "$ROCKSQ_REFERENCE_PYTHON")
.venv/bin/python tools/trace_soak.py --seeds 4 --ops 5000 "${reference[@]}"

# Last, so that pytest's summary closes the run.
.venv/bin/python -m pytest -q "$@"
