"""Every roi_xl module imports on its own: a circular import shows only for some import orders
(the CLI's, a user's script's), which the rest of the suite may never take."""
from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import roi_xl

ROOT = Path(__file__).resolve().parents[2]

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


# --- start-up: nothing heavy imported before a workbook needs it (roi_xl/engine/function_table.py)

def test_function_sources_match_the_modules():
    """function_sources.py, which says which module supplies each table entry, is what the eager
    order gives (regenerate with `python -m roi_xl.engine.function_table` when this fails)."""
    from roi_xl.engine.function_sources import SOURCES
    from roi_xl.engine.function_table import compute_sources

    assert SOURCES == compute_sources(), "run: python -m roi_xl.engine.function_table"


def test_lazy_table_holds_what_the_eager_install_held():
    """A fresh lazy table, fully loaded, has the very entries the eager order would leave."""
    from formulas.functions import FUNCTIONS as base

    from roi_xl.engine.function_sources import SOURCES
    from roi_xl.engine.function_table import LazyFunctions, eager_order, entries

    order = eager_order()
    theirs = [m for m in order if m.startswith("formulas.")]
    eager = {}
    for module in theirs:
        eager.update(entries(module))
    eager.update(base)  # formulas.get_functions applies its own base entries after its families
    for module in order[len(theirs):]:
        eager.update(entries(module))
    lazy = LazyFunctions(SOURCES)
    assert "SUM" in lazy and lazy.get("NO.SUCH.FUNCTION") is None
    assert set(lazy) == set(eager)
    assert [n for n in eager if lazy[n] is not eager[n]] == []


def test_lazy_table_keeps_what_is_set_explicitly():
    """An entry set before its family loads wins, as one set after the eager install did."""
    from roi_xl.engine.function_sources import SOURCES
    from roi_xl.engine.function_table import LazyFunctions

    lazy = LazyFunctions(SOURCES)
    mine = object()
    lazy["NORM.DIST"] = mine
    assert lazy["_XLFN.NORM.DIST"] is not mine and lazy["NORM.DIST"] is mine
    assert lazy["UNKNOWN.FN"].__name__ == "not_implemented"  # formulas' default for a missing name


_RECALC = """
import sys
from pathlib import Path
from roi_xl.cli import main
rc = main(["recalc", sys.argv[1], "--out", sys.argv[2], "--jobs", "1"])
heavy = sorted(m for m in ("scipy", "pandas", "formulas.functions.stat", "formulas.functions.comp",
                           "roi_xl.engine.functions.distributions", "dask", "openpyxl", "formulas.excel",
                           "roi_xl.engine.model", "roi_xl.engine.workbook") if m in sys.modules)
print("heavy:", ",".join(heavy))
sys.exit(rc)
"""


def test_recalc_of_an_example_imports_no_scipy_nor_pandas(tmp_path):
    """A bundled example uses no statistical function: recalculating it (a fresh process, as
    `roi-xl recalc` runs) must not import scipy (seconds of start-up) nor pandas; and the plan
    computes it, so neither openpyxl nor the formulas model is imported either (issue 12)."""
    example = ROOT / "workbook_templates" / "examples" / "retail_ecommerce.xlsx"
    run = subprocess.run([sys.executable, "-c", _RECALC, str(example), str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "heavy: \n" in run.stdout, run.stdout
    assert (tmp_path / example.name).is_file()


_THREE_CELLS = """
import sys
from roi_xl.engine import recalc
values = recalc(sys.argv[1])
print(repr(values["Sheet!A1"]), repr(values["Sheet!A2"]), repr(values["Sheet!A3"]))
"""


def _three_in_a_fresh_process(tmp_path, formulas: list[str], constants: dict | None = None):
    """Sheet!A1:A3's values, recalculated by roi_xl.engine.recalc in a new Python process."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet"
    for ref, value in {**(constants or {}), "A1": formulas[0], "A2": formulas[1], "A3": formulas[2]}.items():
        sheet[ref] = value
    path = tmp_path / "three.xlsx"
    book.save(path)
    run = subprocess.run([sys.executable, "-c", _THREE_CELLS, str(path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return [float(v) for v in run.stdout.split()]


def test_statistical_functions_load_when_a_workbook_uses_them(tmp_path):
    """The families load on demand: NORM.DIST (roi_xl's, scipy) and PERCENTILE (formulas'
    compatibility family) compute in a fresh process where nothing imported them first."""
    constants = {f"B{row}": row for row in range(1, 6)}
    phi, median, total = _three_in_a_fresh_process(tmp_path, [
        "=_xlfn.NORM.DIST(1,0,1,TRUE)",    # Phi(1)
        "=PERCENTILE(B1:B5,0.5)",          # the median of 1..5
        "=SUM(B1:B5)"], constants)
    assert abs(phi - 0.841344746068543) < 1e-12
    assert (median, total) == (3.0, 15.0)


def test_convert_knows_excels_extra_units_in_a_fresh_process(tmp_path):
    """CONVERT is formulas' own, with units Excel has and its table lacks added by our engineering
    family: that family must load with CONVERT even when nothing else of it is used. Excel (the
    ironcalc suite's CONVERT.xlsx): 1 gross registered ton is 2.8316846592 m3, 1 pond 0.00980665 N."""
    grt, pond, kpond = _three_in_a_fresh_process(
        tmp_path, ['=CONVERT(1,"GRT","m3")', '=CONVERT(1,"pond","N")', '=CONVERT(2,"kpond","N")'])
    assert abs(grt - 2.8316846592) < 1e-12 and abs(pond - 0.00980665) < 1e-15
    assert abs(kpond - 19.6133) < 1e-9


_FORMULAS_FIRST = """
import formulas
real = formulas.get_functions()                      # formulas' own table, every family loaded
from roi_xl.engine.function_table import get_functions
from roi_xl.engine.functions import statistical
table = get_functions()
assert table is real and formulas.get_functions() is real, "one table per process"
assert table["SUM"] is statistical.REPLACEMENTS["SUM"], "our entries filled in eagerly"
"""


def test_a_table_formulas_built_first_is_the_one_used():
    """A script that used formulas before roi_xl keeps one table, ours filled into it."""
    run = subprocess.run([sys.executable, "-c", _FORMULAS_FIRST], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def _engine_imports(module: str) -> set[str]:
    """The roi_xl.engine modules `module` imports anywhere in its text (deferred imports too)."""
    import ast

    path = ROOT / "roi_xl" / "engine" / f"{module}.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.update([node.module] if node.module else [a.name for a in node.names])
    return found


def test_the_layout_does_not_import_the_workbook_loader():
    # The rewrite steps (prepare, which builds the Layout) read a workbook's facts; a layout or the
    # steps importing the openpyxl loader back (even deferred, inside a function) is the cycle issue
    # 12 asked to break: the cell-value conversion lives in bind, the facts in facts.py.
    assert "prepare" in _engine_imports("workbook") and "layout" in _engine_imports("prepare")
    assert "workbook" not in _engine_imports("layout") | _engine_imports("prepare") | _engine_imports("facts")
    assert "workbook" not in _engine_imports("bind")


_IN_PROCESS = """
import sys
from roi_xl.engine import recalc
values = recalc(sys.argv[1])
print(len(values), "openpyxl" in sys.modules)
"""


def test_shared_formulas_are_expanded_without_openpyxl():
    """ARABIC_ROMAN holds 20,071 cells of shared formulas: the plan's reader expands them itself
    (engine/shared_formulas.py), so recalculating it (in this process: the CLI may hand the work
    to a worker process) imports no openpyxl."""
    book = ROOT.parent / "shared" / "conformance" / "ironcalc" / "calc_tests" / "MATH_AND_TRIGONOMETRY" \
        / "ARABIC_ROMAN.xlsx"
    if not book.is_file():
        pytest.skip("shared/conformance not present")
    run = subprocess.run([sys.executable, "-c", _IN_PROCESS, str(book)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.split() == ["40427", "False"], run.stdout
