"""A number made text (`&`, CONCATENATE, CONCAT, TEXTJOIN, LEN, EXACT) as Excel writes it: 15
significant digits, trailing zeros dropped, plain decimals unless a number below 1 would need more
than 20 characters or the number reaches 1E+20 (Apache POI's reverse-engineered rule, see
numfmt.number_text). Expected values worked by hand from that rule; Excel data points it matches:
VALUETOTEXT(7.123456E-09) = "0.000000007123456", COMPLEX(1E-16,0) = "0.0000000000000001"."""
from __future__ import annotations

import openpyxl
import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

CASES = {
    '=""&(0.1+0.2)': "0.3",                       # the double is 0.30000000000000004
    '=""&1/3': "0.333333333333333",
    '="x"&-1/3': "x-0.333333333333333",
    '=""&2/3': "0.666666666666667",               # rounded, not cut
    '=""&100': "100",
    '=""&-2.5': "-2.5",
    '=""&0.00001': "0.00001",
    '=""&7.123456E-09': "0.000000007123456",
    '=""&999999999999999': "999999999999999",     # 15 digits in full
    '=""&10^15': "1000000000000000",
    '=""&1234567890123456': "1234567890123460",    # 15 digits kept, the 16th a zero
    '=""&99999999999999900000': "99999999999999900000",
    '=""&1E+20': "1E+20",
    '=""&1.5E-12': "0.0000000000015",             # 15 characters
    '=""&-1.5E-12': "-0.0000000000015",
    '=""&1E-18': "0.000000000000000001",          # 20 characters
    '=""&1E-19': "1E-19",                         # 21 would be too many
    '=""&1.23456789012345E-10': "1.23456789012345E-10",
    '=""&2^0.5*1E+100': "1.4142135623731E+100",   # 1.41421356237310 with the zero dropped
    '=""&(0.1+0.7)': "0.8",                       # the double is 0.7999999999999999
    '=CONCATENATE("r=",1/3)': "r=0.333333333333333",
    '=_xlfn.CONCAT(0.1+0.2,"|",1/4)': "0.3|0.25",
    '=_xlfn.TEXTJOIN(",",TRUE,1/3,0.1+0.2)': "0.333333333333333,0.3",
    "=LEN(1/3)": 17.0,
    "=_xlfn.VALUETOTEXT(7.123456E-09)": "0.000000007123456",   # as Excel saved it
    '=_xlfn.ARRAYTOTEXT({0.5,1E+21})': "0.5, 1E+21",
    '=EXACT(0.1+0.2,"0.3")': True,
    '=""&TRUE': "TRUE",
    '=""&(1/0)': XlError.DIV0,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("coerce") / "coerce.xlsx", {}, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_number_made_text(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)


def _concat_book(path, a1):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet"
    ws["A1"], ws["B1"] = a1, 3
    ws["C1"] = '="ROI "&A1/B1'
    wb.save(path)
    return path


def test_fast_plan_writes_numbers_as_formulas_does(tmp_path):
    from roi_xl.engine import ModelCache, fastpath

    from tests.support.two_paths import assert_plan_equals_formulas

    cache = ModelCache()
    first = fastpath.compute(first_path := _concat_book(tmp_path / "a.xlsx", 1), cache)
    assert_plan_equals_formulas(first, first_path)   # the plan computes the first workbook too
    second = fastpath.compute(_concat_book(tmp_path / "b.xlsx", 2), cache)
    assert second.fast
    assert second.cells[("Sheet", "C1")] == "ROI 0.666666666666667"
