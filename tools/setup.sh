#!/usr/bin/env bash
# Installs what rocksq needs to build (Debian packages, a virtualenv in .venv)
# and builds and installs the package into it.  Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(librocksdb-dev libgtest-dev g++ cmake python3-venv)
missing=()
for p in "${debian_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q ".[test,docs]"
