"""Excel's database functions (roi_xl/engine/functions/database.py) through the real engine.

Expected values worked by hand from Excel's documented rules (DSUM help page, "Examples of complex
criteria": rows OR-ed, cells AND-ed, plain text = "begins with", ="=text" exact, wildcards)."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

DB = "A1:D7"
RECORDS = [("Region", "Rep", "Units", "Date"),
           ("East", "Alice", 120, dt.date(2024, 1, 15)),
           ("West", "Bob", 80, dt.date(2024, 2, 2)),
           ("East", "Cara", 200, dt.date(2024, 4, 10)),
           ("South", "Dan", "n/a", dt.date(2024, 3, 18)),
           ("East", "Eve", 50, dt.date(2024, 7, 8)),
           ("Eastern", "Fay", 10, dt.date(2024, 8, 1))]
CRITERIA = {  # criteria ranges: label row, then condition rows
    "F1": "Region", "F2": "East",                       # begins with East: Alice Cara Eve Fay
    "G1": "Region", "G2": '="=East"',                   # exactly East: Alice Cara Eve
    "H1": "Region", "H2": "East", "I1": "Units", "I2": ">100",   # AND: Alice Cara
    "J1": "Region", "J2": "West", "J3": "South",        # OR: Bob Dan
    "K1": "Rep", "K2": "?a*",                           # Cara Dan Fay
    "L1": "Date", "L2": ">=2024-04-01",                 # Cara Eve Fay
    "M1": "Rgn", "M2": "x",                             # unknown label with a condition: none
    "N1": "Rep", "N2": "bob",                           # Bob (case-insensitive)
    "O1": "Region",                                     # O2 blank: every record
    "P1": 5, "P2": "East",                              # no text label: none
}
CASES = {
    f'=DSUM({DB},"Units",F1:F2)': 380.0,
    f'=DCOUNT({DB},"Units",F1:F2)': 4.0,
    f'=DAVERAGE({DB},"Units",F1:F2)': 95.0,
    f'=DMAX({DB},"Units",F1:F2)': 200.0,
    f'=DMIN({DB},"Units",F1:F2)': 10.0,
    f'=DSUM({DB},"Units",G1:G2)': 370.0,
    f'=DPRODUCT({DB},"Units",G1:G2)': 1_200_000.0,
    f'=DSUM({DB},"Units",H1:I2)': 320.0,
    f'=DGET({DB},"Rep",H1:I2)': XlError.NUM,          # two records
    f'=DSUM({DB},"Units",J1:J3)': 80.0,
    f'=DCOUNT({DB},"Units",J1:J3)': 1.0,               # "n/a" is no number
    f'=DCOUNTA({DB},"Units",J1:J3)': 2.0,
    f'=DSUM({DB},3,K1:K2)': 210.0,
    f'=DCOUNTA({DB},"Rep",K1:K2)': 3.0,
    f'=DSUM({DB},"Units",L1:L2)': 260.0,
    f'=DSUM({DB},"Units",M1:M2)': 0.0,
    f'=DGET({DB},"Units",M1:M2)': XlError.VALUE,       # no record
    f'=DAVERAGE({DB},"Units",M1:M2)': XlError.DIV0,
    f'=DGET({DB},"units",N1:N2)': 80.0,                # field label in any case
    f'=DGET({DB},2,N1:N2)': "Bob",
    f'=DGET({DB},C1,N1:N2)': 80.0,                     # field from a cell
    f'=DCOUNT({DB},"Units",O1:O2)': 5.0,
    f'=DSUM({DB},"Units",P1:P2)': 0.0,
    f'=DSUM({DB},0,F1:F2)': XlError.VALUE,
    f'=DSUM({DB},5,F1:F2)': XlError.VALUE,             # beyond the database's 4 columns
    f'=DSUM({DB},"Nope",F1:F2)': XlError.VALUE,
    f'=DSUM({DB},C1:D1,F1:F2)': XlError.VALUE,         # a range is no field
    '=DSUM(A1:D1,"Units",F1:F2)': XlError.VALUE,       # labels only, no record
    f'=DSUM({DB},3.9,F1:F2)': 380.0,                   # column number truncated
    f'=DSUM({DB},1/0,F1:F2)': XlError.DIV0,
    f'=DSTDEV({DB},"Units",F1:F2)': math.sqrt(20900 / 3),   # squares of 25,105,-45,-85
    f'=DSTDEVP({DB},"Units",F1:F2)': math.sqrt(20900 / 4),
    f'=DVAR({DB},"Units",F1:F2)': 20900 / 3,
    f'=DVARP({DB},"Units",F1:F2)': 5225.0,
    f'=DVAR({DB},"Units",N1:N2)': XlError.DIV0,       # one value
    f'=DVARP({DB},"Units",N1:N2)': 0.0,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    cells = dict(CRITERIA)
    for r, record in enumerate(RECORDS, start=1):
        for c, value in zip("ABCD", record):
            cells[f"{c}{r}"] = value
    return evaluate_cases(tmp_path_factory.mktemp("database") / "db.xlsx", cells, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_database_function(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)
