"""The hostile formulas of tests/support/hostile_formulas.py on both engine paths, through the API
and through the command line: each formula's cell gets Excel's value, the workbook recalculates,
within the time and memory a small file should take."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import roi_xl
from roi_xl.engine import ModelCache

from tests.support import hostile_formulas
from tests.support.cell_values import cached as _cached
from tests.support.cell_values import shown as _shown
from tests.support.cli import ROOT


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    return hostile_formulas.build(tmp_path_factory.mktemp("hostile-formulas"))


def _names():
    return ["array-bombs.xlsx", "makearray-bomb.xlsx", "count-overflow.xlsx", "dates-past-9999.xlsx",
            "arraytotext.xlsx", "let-chains.xlsx"]


# The plan translates neither LET nor LAMBDA: those workbooks are computed by the formulas model on
# both calls.
_FORMULAS_ONLY = {"makearray-bomb.xlsx", "let-chains.xlsx"}


def test_the_module_lists_every_case(cases):
    assert [c.name for c in cases] == _names()


@pytest.mark.parametrize("name", _names())
def test_each_case_on_both_engine_paths(cases, name):
    """The plan (the engine of record) and the formulas model give Excel's values: each rule is in
    one function both paths call."""
    from roi_xl.engine import fastpath

    from tests.support.two_paths import formulas_values

    case = next(c for c in cases if c.name == name)
    plan = fastpath.compute(case.path, ModelCache())
    assert plan.fast or name in _FORMULAS_ONLY, plan.note
    reference = formulas_values(case.path)
    for ref, expected in case.values.items():
        key = tuple(ref.split("!"))
        assert _shown(plan.cells[key]) == expected, (ref, "plan")
        assert _shown(reference[key]) == expected, (ref, "formulas")


@pytest.mark.parametrize("name", _names())
def test_each_case_through_the_api(cases, name, tmp_path):
    case = next(c for c in cases if c.name == name)
    out = tmp_path / name
    results = roi_xl.recalc(case.path, out, timeout=60)
    computed = {f"{sheet}!{cell}": _shown(v) for (sheet, cell), v in results.cells.items()}
    written = _cached(out)
    for ref, expected in case.values.items():
        assert (computed[ref], written[ref]) == (expected, expected), ref


# Runs a command and prints, last, the peak memory (kB) of its process tree alone.
_PEAK = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)")


def test_the_command_line_in_bounded_time_and_memory(cases, tmp_path):
    """One `roi-xl recalc` of the folder: every case recalculated, in well under a minute a file and
    1.5 GB (SEQUENCE(1E9) alone once took every byte of the machine)."""
    folder = Path(cases[0].path).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-c", _PEAK, sys.executable, "-m", "roi_xl.cli", "recalc", str(folder),
                          "--out", str(tmp_path / "out"), "--jobs", "1"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    took = time.monotonic() - start
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    for case in cases:
        written = _cached(tmp_path / "out" / case.name)
        assert {ref: written.get(ref) for ref in case.values} == case.values, case.name
    assert took < 60 * len(cases), took
    peak_kb = int(run.stdout.split()[-1])
    assert peak_kb < 1.5 * 2**20, peak_kb
