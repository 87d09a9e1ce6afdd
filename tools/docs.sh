#!/usr/bin/env bash
# Builds the Sphinx documentation (docs/) into docs/_build/html, failing on
# any warning.  Expects rocksq installed in .venv (tools/setup.sh): the API
# pages read the compiled module's docstrings.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -c "import sphinx" 2>/dev/null || .venv/bin/python -m pip install -q ".[docs]"
.venv/bin/python -m sphinx -W --keep-going -E -q -b html docs docs/_build/html
echo "docs: built docs/_build/html/index.html"
