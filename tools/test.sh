#!/usr/bin/env bash
# Runs every test: the C++ tests (ctest), the type and docs checks, the wheel
# check, and the Python tests (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh

jobs=$(nproc)
cmake -S . -B build/cpp-tests -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROCKSQ_BUILD_TESTS=ON >/dev/null
cmake --build build/cpp-tests -j "$jobs"
ctest --test-dir build/cpp-tests --output-on-failure -j "$jobs"

bash tools/typecheck.sh
bash tools/docs.sh
# The self-contained wheel (build, auditwheel repair, install, push/pop).
bash tools/wheel.sh

# Last, so that pytest's summary closes the run.
.venv/bin/python -m pytest -q "$@"
