"""Double negation, text operands and Excel's snap to zero (roi_xl/engine/operators.py), through the real engine and
through the fast batch path.

Expected values are worked by hand from Excel's rules: `--x` negates twice (numbers, TRUE -> 1,
numeric text -> its number, other text #VALUE!, errors passed on, blanks 0; negation binds tighter
than % and ^). A formula whose last operation is + or - outside parentheses gives exactly 0 when its
operands cancel to within 7 units in the last place (Microsoft KB 78113; the examples below are the
ones Excel users reported: =C1+C2-C3 is 0 but =C1-C3+C2 is 5.82077E-11, =(52.8-8.8*6) is
-7.105427357601E-15, =1*(0.5-0.4-0.1) is -2.77556E-17)."""
from __future__ import annotations

import pytest

from roi_xl import XlError
from roi_xl.engine import ModelCache, fastpath
from roi_xl.engine.rules import cancels

from tests.support.batch_books import formula_book
from tests.support.formula_cases import assert_excel_value, evaluate_array_formulas, evaluate_cases
from tests.support.two_paths import assert_plan_equals_formulas

CELLS = {"A1": True, "A2": "12.5", "A3": "abc", "A5": 3, "A6": 0.1, "A7": 0.2, "A8": 0.3,
         "B1": "Facebook", "B2": "Google", "B3": "Facebook", "C1": 10, "C2": 20, "C3": 30,
         "D1": "=1/0", "D2": "=NA()", "D3": 5,
         "E1": 818562.54, "E2": -40026.44, "E3": 778536.1}

DOUBLE_NEGATION = {
    "=--TRUE": 1.0,
    "=--FALSE": 0.0,
    "=--A1": 1.0,
    '=--"12.5"': 12.5,
    "=--A2": 12.5,
    "=--A3": XlError.VALUE,
    "=--A4": 0.0,                      # blank
    "=--#N/A": XlError.NA,
    "=--D1": XlError.DIV0,
    "=-(-A1)": 1.0,
    "=---A1": -1.0,
    "=+-A1": -1.0,
    "=-+-A1": 1.0,
    "=+--A1": 1.0,
    "=2^--A5": 8.0,
    "=--A5^2": 9.0,                    # (--3)^2
    "=-A5^2": 9.0,                     # Excel: negation before ^
    "=2^-A5": 0.125,
    "=--A5%": 0.03,
    "=2*--A1": 2.0,
    "=5--A1": 6.0,                     # binary minus then negation: 5-(-1)
    "=A5--A5": 6.0,
    '=SUMPRODUCT(--(B1:B3="Facebook"),C1:C3)': 40.0,
    '=SUMPRODUCT(--(B1:B3="Facebook"))': 2.0,
    "=SUMPRODUCT(--ISERROR(D1:D3))": 2.0,
    "=SUMPRODUCT(--(C1:C3>15),--(C1:C3<35))": 2.0,
    '=SUMPRODUCT(--(B1:B3="Facebook"),--(C1:C3>15))': 1.0,
    '=SUMPRODUCT(--{TRUE,"2",FALSE})': 3.0,
    '=SUMPRODUCT(---(B1:B3="Google"))': -1.0,
    "=+A1": True,                      # unary plus alone keeps the value
}

# Text operands read as Excel reads text where it expects a number; ^ as Excel's POWER.
OPERANDS = {
    '="1,000"+1': 1001.0,
    '=-"50%"': -0.5,
    '=--"$5"': 5.0,
    '=--"(5)"': -5.0,                  # accounting negative
    '="2024-01-10"+1': 45302.0,        # date text is its serial
    '="12.5"%': 0.125,
    '="3"^2': 9.0,
    '="inf"*1': XlError.VALUE,         # Python reads these, Excel does not
    '="1_000"/1': XlError.VALUE,
    '=""+1': XlError.VALUE,
    "=(-8)^(1/3)": XlError.NUM,
    "=0^0": XlError.NUM,
    "=0^-1": XlError.DIV0,
    "=(-8)^3": -512.0,
    "=1E+300^2": XlError.NUM,
}

SNAP = {
    "=0.1+0.2-0.3": 0.0,
    "=0.5-0.4-0.1": 0.0,
    "=A6+A7-A8": 0.0,
    "=(A6+A7)-A8": 0.0,                # the last operation is still the subtraction
    "=52.8-8.8*6": 0.0,
    "=1.333+1.225-1.333-1.225": 0.0,
    "=E1+E2-E3": 0.0,                  # 778536.1000000001 - 778536.1: one unit apart
    "=E1-E3+E2": 8 * 2.0 ** -37,      # 8 units of 40026.44 apart: kept
    "=(0.1+0.2-0.3)": 2.0 ** -54,      # in parentheses: kept
    "=(52.8-8.8*6)": -(2.0 ** -47),
    "=(1.333+1.225-1.333-1.225)": -(2.0 ** -52),
    "=1*(0.5-0.4-0.1)": -(2.0 ** -55),  # last operation is *
    "=0.1+0.2-0.3+0": 2.0 ** -54,      # last operation adds zero
    "=1.6-1.6": 0.0,
    "=1E+300-1E+300": 0.0,
    "=0.1+0.2": 0.30000000000000004,   # no cancellation: untouched
    "=-0.3+0.30000000000000004": 0.0,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    cases = {**DOUBLE_NEGATION, **OPERANDS, **SNAP}
    return evaluate_cases(tmp_path_factory.mktemp("operators") / "operators.xlsx", CELLS, cases)


@pytest.mark.parametrize("formula,expected", list(DOUBLE_NEGATION.items()))
def test_double_negation(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)


@pytest.mark.parametrize("formula,expected", list(OPERANDS.items()))
def test_text_operands_and_power(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)


@pytest.mark.parametrize("formula,expected", list(SNAP.items()))
def test_final_addition_snaps_to_zero(results, formula, expected):
    got = results[formula]
    assert_excel_value(got, expected, formula, rel=0)
    if expected == 0:
        assert got == 0


def test_array_operands_elementwise(tmp_path):
    cells = {"A1": True, "A2": "12.5", "A3": "abc", "F1": 0.1, "F2": 0.5, "F3": 1, "G1": 0.2, "G2": -0.4,
             "G3": 2, "H1": 0.3, "H2": 0.1, "H3": 3}
    got = evaluate_array_formulas(tmp_path / "arrays.xlsx", cells, {
        "D1:D3": "=--A1:A3", "E1:E3": "=F1:F3+G1:G3-H1:H3", "I1:I3": "=(F1:F3+G1:G3-H1:H3)"})
    assert [got["D1"], got["D2"], got["D3"]] == [1, 12.5, XlError.VALUE] and got["D1"] is not True
    assert [got["E1"], got["E2"], got["E3"]] == [0, 0, 0]
    assert [got["I1"], got["I2"], got["I3"]] == [2.0 ** -54, -(2.0 ** -55), 0]


def test_cancellation_rule():
    assert cancels(0.30000000000000004, -0.3)
    assert not cancels(0.3, 0.3)                 # same sign: no cancellation
    assert not cancels(0.0, -0.0)
    assert not cancels(40026.44000000006, -40026.44)
    assert cancels(1.0, -(1.0 + 7 * 2.0 ** -52))
    assert not cancels(1.0, -(1.0 + 8 * 2.0 ** -52))
    assert cancels(1.0, -(1.0 - 2.0 ** -53))    # across a power of two
    assert not cancels(float("inf"), float("-inf"))


def test_fast_path_agrees(tmp_path):
    """The translated plan snaps and negates as formulas does, on the first workbook and the next."""
    formulas = {"C1": "=A1+A2-A3", "C2": "=(A1+A2-A3)", "C3": "=1*(A1+A2-A3)", "C4": "=--B1",
                "C5": "=-(-B1)", "C6": "=2^--B2", "C7": "=A1-A3+A2", "C8": "=--B3", "C9": "=B4*2"}
    first = {"A1": 0.1, "A2": 0.2, "A3": 0.3, "B1": True, "B2": "3", "B3": "x", "B4": "1,000"}
    cache = ModelCache()
    first_path = formula_book(tmp_path / "a.xlsx", formulas, first)
    assert_plan_equals_formulas(fastpath.compute(first_path, cache), first_path)
    second = formula_book(tmp_path / "b.xlsx", formulas, {**first, "A1": 0.5, "A2": -0.4, "A3": 0.1})
    fast = fastpath.compute(second, cache)
    assert fast.fast, fast.note
    cells = {ref: fast.cells[("Sheet", ref)] for ref in formulas}
    assert cells["C1"] == 0 and cells["C7"] == 0
    assert cells["C2"] == cells["C3"] == -(2.0 ** -55)
    assert cells["C4"] == cells["C5"] == 1 and cells["C4"] is not True
    assert cells["C6"] == 8
    assert cells["C8"] == XlError.VALUE
    assert cells["C9"] == 2000
    assert_plan_equals_formulas(fast, second)
