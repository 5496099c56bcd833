"""The xlsx layer stands alone: none of its modules loads `formulas` or the engine, and what other
modules take from it is public."""
from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import roi_xl.xlsx

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print("\\n".join(sorted(m for m in sys.modules if m.split(".")[0] == "formulas"
                       or m == "roi_xl.engine" or m.startswith("roi_xl.engine."))))
"""


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(roi_xl.xlsx.__path__, "roi_xl.xlsx."))


def test_the_layer_imports_neither_formulas_nor_the_engine():
    names = _modules()
    assert {"roi_xl.xlsx.package", "roi_xl.xlsx.guard", "roi_xl.xlsx.read", "roi_xl.xlsx.writer"} <= set(names)
    run = subprocess.run([sys.executable, "-c", _SCRIPT, "roi_xl.xlsx", *names], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == []


def test_the_layer_names_neither_in_its_source():
    """Not even a deferred import: a function's import would load them when it first runs."""
    for path in Path(roi_xl.xlsx.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = [("." * node.level) + (node.module or "")]
            else:
                continue
            for target in targets:
                assert not target.split(".")[0] == "formulas", f"{path.name} imports {target}"
                assert "engine" not in target.split("."), f"{path.name} imports {target}"


def test_no_private_name_is_taken_from_the_layer():
    """What roi_xl's modules and the tests import from roi_xl.xlsx is public (no leading underscore)."""
    found = []
    for folder in ("roi_xl", "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom):
                    continue
                module = node.module or ""
                inside = path.is_relative_to(ROOT / "roi_xl" / "xlsx") and node.level == 1
                if "xlsx" in module.split(".") or inside:
                    found += [f"{path.relative_to(ROOT)}: {module}.{alias.name}" for alias in node.names
                              if alias.name.startswith("_")]
    assert found == []
