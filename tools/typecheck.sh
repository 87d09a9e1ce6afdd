#!/usr/bin/env bash
# Type-checks code that uses rocksq against the stubs the build generates
# from the compiled module (rocksq/_rocksq/*.pyi): mypy --strict on the
# examples and a typed test (which pytest also runs).  Expects the package
# installed in .venv (tools/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
# Outside the clone, so that `import rocksq` finds the installed package.
site=$("$py" -c 'import os, rocksq; print(os.path.dirname(os.path.dirname(rocksq.__file__)))')
(cd / && MYPYPATH= "$OLDPWD/$py" -m mypy --strict --no-incremental \
  "$OLDPWD"/examples/*.py "$OLDPWD"/tests/test_typing_usage.py)
echo "typecheck: ok (stubs from $site/rocksq/_rocksq)"
