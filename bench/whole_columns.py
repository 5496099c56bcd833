"""Time roi-xl on Excel-saved workbooks that use whole columns/rows and tables.

    python bench/whole_columns.py [CONFORMANCE_DIR]

CONFORMANCE_DIR defaults to ../shared/conformance/ironcalc (outside the project). For each
workbook: seconds to load and recalculate, and how many computed cells equal Excel's cached
value. Before whole references were clipped to the used range each of these took over 90 s.
"""
from __future__ import annotations

import datetime as _dt
import math
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import coordinate_to_tuple

from roi_xl import recalc
from roi_xl.excel import date_to_serial

FILES = [
    "calc_tests/LOOKUP_AND_REFERENCE/ROW_COLUM.xlsx", "calc_tests/LOOKUP_AND_REFERENCE/XLOOKUP.xlsx",
    "calc_tests/MATH_AND_TRIGONOMETRY/FLOOR_CEILING.xlsx",
    "calc_tests/MATH_AND_TRIGONOMETRY/MROUND_TRUNC_INT.xlsx",
    "calc_tests/STATISTICAL/BETADIST_BETAINV.xlsx", "calc_tests/STATISTICAL/BINOM.xlsx",
    "calc_tests/STATISTICAL/COUNTIF.xlsx", "calc_tests/STATISTICAL/COUNTIFS.xlsx",
    "calc_tests/STATISTICAL/GAMMA.xlsx", "calc_tests/STATISTICAL/LOGNORM.xlsx",
    "calc_tests/STATISTICAL/POISSON.xlsx", "calc_test_no_export/tables.xlsx",
]


def _same(ours, excel) -> bool:
    if type(excel) is object:
        return False
    if isinstance(excel, (_dt.date, _dt.time)):
        excel = (date_to_serial(excel) if isinstance(excel, _dt.date)
                 else (excel.hour * 3600 + excel.minute * 60 + excel.second) / 86400)
    if excel is None:
        return ours in (0, 0.0, "", None)
    if isinstance(excel, bool) or isinstance(ours, bool):
        return ours == excel
    if isinstance(excel, (int, float)) and isinstance(ours, (int, float)):
        return math.isclose(ours, excel, rel_tol=1e-9, abs_tol=1e-12)
    return str(ours) == str(excel)


LIMIT = 180  # seconds per workbook; each runs in its own process so a hung function is cut off


def measure(path: Path) -> str:
    start = time.perf_counter()
    results = recalc(path)
    seconds = time.perf_counter() - start
    cached = openpyxl.load_workbook(path, data_only=True)
    same = total = 0
    for (sheet, cell), value in results.cells.items():
        try:
            excel = cached[sheet].cell(*coordinate_to_tuple(cell)).value
        except ValueError:  # a spill the engine placed off the sheet: a mismatch
            excel = object()
        total += 1
        same += _same(value, excel)
    return f"{path.name:<28}{seconds:>9.1f}{f'{same}/{total}':>14}"


def main(root: Path) -> None:
    print(f"{'workbook':<28}{'seconds':>9}{'match':>14}", flush=True)
    for name in FILES:
        path = root / name
        if not path.exists():
            continue
        try:
            run = subprocess.run([sys.executable, __file__, "--one", str(path)], timeout=LIMIT,
                                 capture_output=True, text=True)
            print(run.stdout.strip() or f"{path.name:<28}  failed: {run.stderr.strip()[-200:]}",
                  flush=True)
        except subprocess.TimeoutExpired:
            print(f"{path.name:<28}{f'>{LIMIT}':>9}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(measure(Path(sys.argv[2])))
        sys.exit(0)
    project = Path(__file__).resolve().parents[1]
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else project.parent / "shared/conformance/ironcalc")
