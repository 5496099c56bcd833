"""Time roi-xl on Excel-saved workbooks that use whole columns/rows and tables.

    python bench/whole_columns.py [CONFORMANCE_DIR]

CONFORMANCE_DIR defaults to ../shared/conformance/ironcalc (outside the project). For each
workbook: seconds to load and recalculate, and how many computed cells equal Excel's cached
value. Before whole references were clipped to the used range each of these took over 90 s.
"""
from __future__ import annotations

import datetime as _dt
import math
import signal
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


LIMIT = 120  # seconds per workbook


def _timeout(signum, frame):
    raise TimeoutError


def main(root: Path) -> None:
    signal.signal(signal.SIGALRM, _timeout)
    print(f"{'workbook':<28}{'seconds':>9}{'match':>14}")
    for name in FILES:
        path = root / name
        if not path.exists():
            continue
        start = time.perf_counter()
        signal.alarm(LIMIT)
        try:
            results = recalc(path)
        except TimeoutError:
            print(f"{path.name:<28}{f'over {LIMIT}':>9}")
            continue
        finally:
            signal.alarm(0)
        seconds = time.perf_counter() - start
        cached = openpyxl.load_workbook(path, data_only=True)
        same = sum(_same(value, cached[sheet].cell(*coordinate_to_tuple(cell)).value)
                   for (sheet, cell), value in results.cells.items())
        print(f"{path.name:<28}{seconds:>9.1f}{f'{same}/{len(results.cells)}':>14}")


if __name__ == "__main__":
    project = Path(__file__).resolve().parents[1]
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else project.parent / "shared/conformance/ironcalc")
