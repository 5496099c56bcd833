"""Excel's argument checks for PMT, PV, FV, NPER, IPMT, PPMT, DB, DDB (roi_xl/engine/functions/
financial.py); expected values from Excel's documentation and worked by hand."""
from __future__ import annotations

import pytest

from roi_xl import XlError
from roi_xl.engine import excel_functions

from formula_cases import assert_excel_value, evaluate_cases

CASES = {
    "=PMT(-3,5,100)": XlError.NUM,                     # rate below -1
    "=PV(-2,3,10)": XlError.NUM,
    "=FV(-2,3,100)": XlError.NUM,
    "=NPER(-1.5,10,100)": XlError.NUM,
    "=PMT(0,4,100,300,1)": -100.0,                     # no interest: -(pv+fv)/nper
    "=PMT(0.1,3,100)": -100 * 0.1 / (1 - 1.1 ** -3),
    "=IPMT(0.1,0,36,8000)": XlError.NUM,               # period 0
    "=IPMT(0.1,3,2,8000)": XlError.NUM,                # period beyond nper
    "=PPMT(0.1,-1,3,8000)": XlError.NUM,
    "=IPMT(0.1,1,3,8000)": -800.0,                     # first period: -pv*rate
    "=DB(0,10,4,1)": 0.0,                              # nothing to depreciate
    "=DDB(0,10,4,1,2)": 0.0,
    "=PMT(A1,A2,A3)": -100 * 0.1 / (1 - 1.1 ** -3),   # the same through cell references
    "=IPMT(A1,1,A2,A3*80)": -800.0,
    "=DB(A3,10,4,1)": 100 * (1 - round((10 / 100) ** (1 / 4), 3)),
    "=PMT(A4,A2,A3)": XlError.NUM,
    "=NPER(0,3,100,23,1)": -41.0,                      # -(100+23)/3
    "=NPER(0,0,100)": XlError.NUM,
    "=_xlfn.RRI(2,3,0)": -1.0,                         # (0/3)^(1/2) - 1
    "=_xlfn.RRI(2,3,12)": 1.0,                         # (12/3)^(1/2) - 1
    "=DISC(39472,39614,97.975,100,5)": XlError.NUM,   # basis 5
}
CELLS = {"A1": 0.1, "A2": 3, "A3": 100, "A4": -3}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("fin") / "fin.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_financial_check(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)


def test_checks_are_installed_once():
    from formulas import get_functions

    excel_functions.install()
    before = get_functions()["PMT"]
    excel_functions.install()
    assert get_functions()["PMT"] is before
