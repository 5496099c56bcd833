#!/usr/bin/env bash
# The test command: installs everything the tests need on a fresh machine, then runs pytest.
# Extra arguments go to pytest (e.g. scripts/test.sh -k roi -x). Without any, the linter (ruff) checks the
# whole repository and the type checker (mypy) the package, both configured in pyproject.toml; then the
# whole suite runs, and the conformance gate (scripts/conformance.sh, when ../shared/conformance exists).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/install-libreoffice.sh"
# Node and Pyodide for the xlwings Lite test; a workstation that cannot get them skips that test.
if ! bash "$ROOT/scripts/install-pyodide.sh" >/dev/null; then
    if [ -n "${CI:-}" ]; then exit 1; fi
    echo "test.sh: Pyodide not installed; tests/catalogue/test_installed_faces.py will skip" >&2
fi
cd "$ROOT"
if [ "$#" -gt 0 ]; then
    exec python -m pytest "$@"
fi
python -m ruff check .
python -m mypy
python -m pytest
bash "$ROOT/scripts/conformance.sh"
