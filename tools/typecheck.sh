#!/usr/bin/env bash
# Checks rocksq's type stubs: mypy.stubtest against the installed module,
# mypy --strict on the examples and a typed test, and (via pytest, in
# tools/test.sh) tests/test_typing_signatures.py for parameters.
# Expects the package installed in .venv (tools/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python

allowlist=$PWD/tools/stubtest-allowlist.txt
# Outside the clone, so that `import rocksq` finds the installed package.
(cd / && "$OLDPWD/$py" -m mypy.stubtest rocksq --allowlist "$allowlist")
"$py" -m mypy --strict --no-incremental examples/ tests/test_typing_usage.py
echo "typecheck: ok"
