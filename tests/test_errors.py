"""roi_xl/errors.py: every exception roi-xl defines is there, under RoiXlError, and the module loads
without the engine, formulas or openpyxl (the guard and the command line's usage errors use it)."""
from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import roi_xl
from roi_xl import errors

ROOT = Path(__file__).resolve().parents[1]

# control-flow signals private to one module (errors.py's docstring lists them)
_PRIVATE = {"_ValueErr", "_Bad", "_NegativeSize", "Fail", "Interrupted"}


def test_errors_import_without_the_engine():
    script = ("import sys, roi_xl.errors\n"
              "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('formulas', 'openpyxl', 'numpy')"
              " or m.startswith('roi_xl.engine'))\n"
              "print(heavy)")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_every_exception_class_is_defined_in_errors():
    """No module but errors.py defines an exception class, the private signals aside."""
    elsewhere = []
    for path in sorted((ROOT / "roi_xl").rglob("*.py")):
        if path.name == "errors.py" and path.parent.name == "roi_xl":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name not in _PRIVATE and any(
                    isinstance(b, ast.Name) and (b.id.endswith(_KINDS) or b.id in _ERRORS) for b in node.bases):
                elsewhere.append(f"{path.relative_to(ROOT)}: {node.name}")
    assert elsewhere == []


_KINDS = ("Error", "Exception", "Interrupt", "Warning")
_ERRORS = {name for name, obj in vars(errors).items() if inspect.isclass(obj) and issubclass(obj, BaseException)}


def test_the_tree_in_the_docstring_is_the_hierarchy():
    """Every class is in the docstring's tree, and each derives from RoiXlError."""
    classes = {n: c for n, c in vars(errors).items() if inspect.isclass(c) and issubclass(c, BaseException)
               and c.__module__ == errors.__name__}
    assert set(classes) <= {w.strip("─├└│ ") for line in errors.__doc__.splitlines() for w in line.split()[:3]}
    assert all(issubclass(c, errors.RoiXlError) for c in classes.values())
    assert issubclass(errors.OutOfDomain, ValueError) and issubclass(errors.NotReached, LookupError)
    assert issubclass(errors.UnsafeWorkbook, errors.WorkbookError)
    assert issubclass(errors.UsageError, errors.InputError)


def test_the_package_names_what_users_catch():
    assert roi_xl.WorkbookError is errors.WorkbookError and roi_xl.RoiXlError is errors.RoiXlError
    from roi_xl.engine import CircularReferenceError, WorkbookError

    assert (CircularReferenceError, WorkbookError) == (errors.CircularReferenceError, errors.WorkbookError)
