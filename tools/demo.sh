#!/usr/bin/env bash
# Sets rocksq up (see tools/setup.sh) and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
.venv/bin/python examples/demo.py
