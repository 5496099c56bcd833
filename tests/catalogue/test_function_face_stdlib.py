"""The Excel functions need the standard library alone (and xlwings for the xlwings module), as
inside Pyodide (xlwings Lite), which cannot install the engine's dependencies.

A child Python refuses, through a meta-path finder, every import outside the standard library,
roi_xl and xlwings, so numpy, pandas, formulas, openpyxl, python-calamine and friends are
unimportable there; xlwings' own optional imports of numpy and pandas fall back as in a bare
Pyodide. It imports the catalogue and the xlwings module, calls every catalogue function on
the Office.js-shaped cases (tests/catalogue/office_js.py), and the results must equal this process's.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import roi_xl

from tests.catalogue.office_js import cases, excel_value, same

ROOT = Path(__file__).resolve().parents[2]

_CHILD = r"""
import importlib.abc, json, sys

AT_START = {m.partition(".")[0] for m in sys.modules}  # the interpreter's and site's own hooks
ALLOWED = set(sys.stdlib_module_names) | {"roi_xl", "roi_xl_udfs", "xlwings", "office_js"}
refused = set()

class StandardLibraryOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top not in ALLOWED:
            refused.add(top)
            raise ModuleNotFoundError(f"{name} is refused in this test", name=name)
        return None

sys.meta_path.insert(0, StandardLibraryOnly())
import roi_xl, roi_xl.xlwings_udfs as face
from office_js import excel_value
from roi_xl import XlError

def plain(v):
    if isinstance(v, XlError):
        return {"error": v.value}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v

job = json.load(sys.stdin)
results = [plain(roi_xl.CATALOGUE[name](*[excel_value(a) for a in args]))
           for name, args in job["cases"]]
face_results = [plain(face.to_excel(getattr(face, name)(*args))) for name, args in job["face"]]
outside = sorted({m.partition(".")[0] for m in sys.modules} - ALLOWED - AT_START)
json.dump({"results": results, "face": face_results, "outside": outside,
           "refused": sorted(refused)}, sys.stdout)
"""


def _plain(value):
    """As the child reports a catalogue result (errors as their text, in a dict)."""
    if isinstance(value, roi_xl.XlError):
        return {"error": value.value}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_functions_import_and_run_without_the_engines_dependencies():
    every = cases()
    face_calls = [("SOCIAL_ROI", [[[150]], [[100]]]), ("SOCIAL_ROI", [[[1]], [[0]]]),
                  ("COST_ROLLUP", [[["Staff"], ["Ads"], ["staff"]], [[100], [50], [25]], None])]
    # The child imports office_js.py (beside this file) as a top-level module.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(Path(__file__).parent)])}
    env.pop("XLWINGS_ON_SERVER", None)
    run = subprocess.run([sys.executable, "-c", _CHILD], cwd=ROOT, env=env, text=True,
                         capture_output=True, timeout=300,
                         input=json.dumps({"cases": every, "face": face_calls}))
    assert run.returncode == 0, run.stderr[-3000:]
    child = json.loads(run.stdout)
    assert child["outside"] == []
    # The finder did stand in the way: xlwings reaches for numpy and pandas when they exist.
    assert {"numpy", "pandas"} <= set(child["refused"])
    for (name, args), got in zip(every, child["results"]):
        want = _plain(roi_xl.CATALOGUE[name](*[excel_value(a) for a in args]))
        assert same(got, want), f"{name}{args}: {got} != {want}"
    # The xlwings module, as a plain-Python face there: 0.5, an error's text, a spilled table.
    assert child["face"] == [0.5, "#DIV/0!", [["Staff", 125.0], ["Ads", 50.0]]]


def test_the_distribution_leaves_the_engines_dependencies_out_of_pyodide():
    """pyproject.toml: only xlwings is required inside Pyodide (sys_platform "emscripten");
    every other dependency is marked for the other platforms."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    unmarked = [d for d in deps if "sys_platform != 'emscripten'" not in d]
    assert [d.split(">")[0] for d in unmarked] == ["xlwings"]
