#!/usr/bin/env bash
# Runs every test: the C++ tests (ctest) and the Python tests (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh

jobs=$(nproc)
cmake -S . -B build/cpp-tests -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROCKSQ_BUILD_TESTS=ON >/dev/null
cmake --build build/cpp-tests -j "$jobs"
ctest --test-dir build/cpp-tests --output-on-failure -j "$jobs"

.venv/bin/python -m pytest -q "$@"
bash tools/typecheck.sh
bash tools/docs.sh
bash tools/wheel.sh
