"""DATE, EDATE, DAYS360 and YEARFRAC (roi_xl/engine/functions/dates.py). Expected serials counted
from Python's calendar (serial = days since 30 Dec 1899 for dates from March 1900), day counts and
year lengths worked by hand from Excel's documented rules."""
from __future__ import annotations

import datetime

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_array_formulas, evaluate_cases


def serial(y, m, d) -> float:
    return float((datetime.date(y, m, d) - datetime.date(1899, 12, 30)).days)


CELLS = {"A1": "TRUE"}
CASES = {
    "=DATE(2022,13,1)": serial(2023, 1, 1),              # months carry into the year
    "=DATE(9999,12,31)": serial(9999, 12, 31),
    "=DATE(9999,13,-1)": XlError.NUM,                     # year 10000 once the months carry
    "=DATE(2024,3,0)": serial(2024, 2, 29),
    "=EDATE(DATE(1900,3,1),-7)": XlError.NUM,             # August 1899
    "=EDATE(DATE(1900,3,1),5)": serial(1900, 8, 1),
    "=EDATE(DATE(2024,1,31),1)": serial(2024, 2, 29),     # the month's last day
    # European method: 31 Jan counts as 30 Jan, 30 - 1 = 29; "TRUE" in a cell is TRUE
    "=DAYS360(DATE(2025,1,1),DATE(2025,1,31),A1)": 29.0,
    '=DAYS360(DATE(2025,1,1),DATE(2025,1,31),"TRUE")': 29.0,
    "=DAYS360(DATE(2025,1,1),DATE(2025,1,31))": 30.0,     # US method keeps 31 Jan when d1 < 30
    # 45992 is 1 Dec 2025; 46000.999999 is within half a second of 10 Dec: 9 days
    "=DAYS360(45992.000001,46000.999999)": 9.0,
    "=DAYS360(DATE(2025,1,10)+TIME(0,1,0),DATE(2025,1,10)+TIME(23,59,0))": 0.0,
    # actual/actual: at most a year apart, no 29 Feb inside: 365-day year
    "=YEARFRAC(DATE(2023,3,3),DATE(2024,2,28),1)": 362 / 365,
    "=YEARFRAC(DATE(2023,3,3),DATE(2024,2,29),1)": 363 / 366,   # 29 Feb 2024 inside
    "=YEARFRAC(DATE(2024,1,1),DATE(2024,7,1),1)": 182 / 366,    # one leap year
    # over two years: the mean of 2022, 2023 and 2024's lengths
    "=YEARFRAC(DATE(2022,6,1),DATE(2024,6,1),1)": 731 / (1096 / 3),
    "=YEARFRAC(DATE(2023,1,1),DATE(2023,7,1))": 180 / 360,      # other bases as before
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("dates") / "dates.xlsx", CELLS, CASES)


@pytest.mark.parametrize("formula", list(CASES))
def test_date_functions(results, formula):
    assert_excel_value(results[formula], CASES[formula], formula, rel=1e-12)


def test_date_spreads_arguments_of_different_sizes(tmp_path):
    """=DATE(5 years, 3 months, 2 days): rows past an argument's size are #N/A."""
    rows = [(2022, 1, 1), (2023, 10, 2), (2024, 9, 29), (2025, 7, 3), (2026, 5, 10)]
    cells = {f"{col}{r}": v for r, row in enumerate(rows, start=2) for col, v in zip("ABC", row)}
    v = evaluate_array_formulas(tmp_path / "date.xlsx", cells, {"G1:G5": "=DATE(A2:A6,B2:B4,C2:C3)"})
    assert [v[f"G{r}"] for r in range(1, 6)] == \
        [serial(2022, 1, 1), serial(2023, 10, 2), XlError.NA, XlError.NA, XlError.NA]
