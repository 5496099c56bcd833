#!/usr/bin/env bash
# Creates .venv (if missing) and installs roi-xl into it with its test extras.
# Sourced by scripts/test.sh and scripts/demo.sh; safe to run again (pip skips what is there).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  "$PY" -m venv "$ROOT/.venv"
fi
# A stamp keyed on pyproject.toml skips the pip round-trip when nothing changed.
STAMP="$ROOT/.venv/.roi-xl-installed"
if [ ! -f "$STAMP" ] || ! cmp -s "$ROOT/pyproject.toml" "$STAMP"; then
  "$ROOT/.venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$ROOT/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT[test,dask]"
  cp "$ROOT/pyproject.toml" "$STAMP"
fi
# The editable install runs roi_xl from its sources: byte-compile them (what pip does for an installed
# wheel), or every run recompiles all of roi_xl, about 0.2 s of start-up, where PYTHONDONTWRITEBYTECODE
# is set. Up-to-date files are skipped; a file edited later is recompiled in memory until the next run.
"$ROOT/.venv/bin/python" -m compileall -q "$ROOT/roi_xl" >/dev/null
export PATH="$ROOT/.venv/bin:$PATH"
