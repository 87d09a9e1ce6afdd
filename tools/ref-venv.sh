#!/usr/bin/env bash
# Creates (once) build/ref-venv holding the reference implementation, PyPI's
# rocksq 0.3.0, for the differential tests, and prints its interpreter.
# Prints nothing (and succeeds) if it cannot be installed: those tests skip.
set -uo pipefail
cd "$(dirname "$0")/.."
venv=build/ref-venv
python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import rocksq' 2>/dev/null; then
  rm -rf "$venv"
  if ! { "$python" -m venv "$venv" && "$venv/bin/python" -m pip install -q "rocksq==0.3.0"; } >&2; then
    echo "ref-venv: could not install rocksq==0.3.0; the differential tests will skip" >&2
    rm -rf "$venv"
    exit 0
  fi
fi
echo "$PWD/$venv/bin/python"
