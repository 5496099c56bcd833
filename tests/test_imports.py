"""Every roi_xl module imports on its own: a circular import shows only for some import orders
(the CLI's, a user's script's), which the rest of the suite may never take."""
from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import roi_xl

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "roi_xl" or m.startswith("roi_xl.")]:
        del sys.modules[loaded]          # roi_xl afresh each time; formulas, numpy stay loaded
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def test_every_module_imports_first():
    names = sorted(m.name for m in pkgutil.walk_packages(roi_xl.__path__, "roi_xl."))
    assert "roi_xl.engine.functions.offset" in names and "roi_xl.cli" in names
    run = subprocess.run([sys.executable, "-c", _SCRIPT, *names], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
