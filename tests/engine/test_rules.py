"""Excel's operator, comparison and condition rules (roi_xl/engine/rules.py): each rule by hand on the
plan's values, then the same cases as formulas on both paths (the translated plan and the formulas
model), and the claim that both paths call the one definition.

Expected values are worked by hand from Excel's rules (see rules.py's docstring): a blank is 0 in
arithmetic, "" against text and FALSE against a boolean in a comparison (an empty cell equals FALSE
in Excel, "" and 0 do not); numbers < text < booleans; the first error wins; ^ is POWER; `&` stops
at 32,767 characters; IF's condition and NOT read "TRUE"/"FALSE" as logical values and other text as
#VALUE!; AND/OR/XOR skip text and blanks.
"""
from __future__ import annotations

import numpy as np
import pytest
import schedula as sh
from formulas.functions import Error

from roi_xl import XlError
from roi_xl.engine import ModelCache, fastcalc, fastpath, rules
from roi_xl.engine.formulas_args import plan_value
from roi_xl.engine.functions import logical
from roi_xl.engine.operators import FINAL_RULES, RULES, install_operators

from tests.support.batch_books import formula_book
from tests.support.formula_cases import assert_excel_value
from tests.support.two_paths import formulas_values

DIV0, NA, NUM, VALUE = XlError.DIV0, XlError.NA, XlError.NUM, XlError.VALUE

# Each rule on the plan's values (None a blank): (rule, operands, Excel's result).
BY_HAND = [
    (rules.add, (None, 1), 1.0),
    (rules.add, (True, "1,000"), 1001.0),
    (rules.add, ("abc", 1.0), VALUE),
    (rules.add, (NA, DIV0), NA),                 # the first error
    (rules.add, (1e308, 1e308), NUM),
    (rules.sub, ("50%", 0.25), 0.25),
    (rules.mul, (DIV0, "abc"), DIV0),
    (rules.div, (1, None), DIV0),
    (rules.div, (7, 2), 3.5),
    (rules.power, (2, 10), 1024.0),
    (rules.power, (0, 0), NUM),
    (rules.power, (0.0, -1), DIV0),
    (rules.power, (-8, 1 / 3), NUM),             # no complex numbers
    (rules.power, (-2, 3), -8.0),
    (rules.power, (10, 400), NUM),               # overflow
    (rules.neg, ("1,000",), -1000.0),
    (rules.neg, (None,), 0.0),
    (rules.pct, ("12.5",), 0.125),
    (rules.as_number, (True,), 1.0),
    (rules.as_number, ("x",), VALUE),
    (rules.pos, ("a",), "a"),
    (rules.add_final, (0.1 + 0.2, -0.3), 0.0),    # cancels within 7 units in the last place
    (rules.sub_final, (0.1 + 0.2, 0.3), 0.0),
    (rules.sub_final, (40026.44000000006, 40026.44), 40026.44000000006 - 40026.44),
    (rules.concat, (True, 3.0), "TRUE3"),
    (rules.concat, (None, "x"), "x"),
    (rules.concat, (0.1 + 0.2, ""), "0.3"),       # a number as General shows it (15 digits)
    (rules.concat, ("x", NA), NA),
    (rules.concat, ("a" * 32767, "b"), VALUE),
    (rules.eq, (None, 0), True),
    (rules.eq, (None, ""), True),
    (rules.eq, (None, False), True),             # an empty cell equals FALSE
    (rules.eq, ("", False), False),
    (rules.eq, (0, False), False),
    (rules.lt, (None, True), True),
    (rules.eq, ("ADAM", "adam"), True),
    (rules.lt, ("a", "B"), True),
    (rules.lt, ("ADAM", "ADAM1"), True),
    (rules.lt, (1, "a"), True),                  # numbers < text < booleans
    (rules.lt, ("z", True), True),
    (rules.eq, (True, 1), False),
    (rules.gt, ("1", 1), True),
    (rules.ge, (NA, DIV0), NA),
    (rules.ne, (DIV0, 3), DIV0),
    (rules.le, (-2.5, -0.27), True),
    (rules.condition, (None,), False),
    (rules.condition, (3,), True),
    (rules.condition, ("true",), True),          # the words TRUE and FALSE are logical values
    (rules.condition, ("FALSE",), False),
    (rules.condition, ("yes",), VALUE),
    (rules.condition, (NA,), NA),
    (rules.not_, (None,), True),
    (rules.not_, (0.5,), False),
    (rules.not_, ("x",), VALUE),
    (rules.not_, ("True",), False),
    (rules.and_, ([True, "x", None, 3],), True),
    (rules.and_, ([True, 0],), False),
    (rules.or_, (["x", None],), VALUE),          # nothing left
    (rules.or_, ([False, NA, True],), NA),
    (rules.xor, ([True, 3],), False),            # two TRUE: even
    (rules.xor, ([True, False, None],), True),
]


@pytest.mark.parametrize("rule,operands,expected", BY_HAND)
def test_rule_by_hand(rule, operands, expected):
    got = rule(*operands)
    assert got == expected and type(got) is type(expected) or \
        isinstance(expected, float) and isinstance(got, float) and got == expected, (operands, got)


CELLS = {"A2": True, "A3": "abc", "A4": "1,000", "A5": "=1/0", "A6": "=NA()", "A7": 3, "A8": "a",
         "A9": "B", "A10": False, "A11": 0, "A12": '=""'}  # A1 blank

# The rules through formulas, on both paths.
CASES = {
    "=A1+1": 1.0, "=A2*3": 3.0, "=A4/4": 250.0, "=A3-1": VALUE, "=A5+A6": DIV0, "=A6*A5": NA,
    "=1/A1": DIV0, "=1E+200*1E+200": NUM, "=2^10": 1024.0, "=(-8)^(1/3)": NUM, "=0^0": NUM,
    "=A1^-1": DIV0, "=(-2)^3": -8.0, "=-A4": -1000.0, "=A4%": 10.0, "=-A3": VALUE,
    "=0.1+0.2-0.3": 0.0, "=(0.1+0.2-0.3)": 2.0 ** -54,
    "=A2&A7": "TRUE3", '=A1&"x"': "x", '=A6&"x"': NA, '="x"&A5': DIV0,
    '=LEN(REPT("a",32766)&"b")': 32767.0, '=REPT("a",32767)&"b"': VALUE,
    "=A1=0": True, '=A1=""': True, "=A1=A10": True, "=A1<TRUE": True, "=A11=A10": False,
    "=A11<A10": True, "=A12=A10": False, "=A8<A9": True, '="a"="A"': True, '=1<"a"': True,
    '="z"<TRUE': True, "=A2=1": False, "=A6=A5": NA, "=A5<A6": DIV0,
    "=IF(A1,1,2)": 2.0, "=IF(A7,1,2)": 1.0, "=IF(A3,1,2)": VALUE, "=IF(A6,1,2)": NA,
    '=IF("true",1,2)': 1.0, '=IF("FALSE",1,2)': 2.0, "=IF(A2,A1,2)": 0.0,
    "=NOT(A1)": True, "=NOT(A7)": False, "=NOT(A3)": VALUE, '=NOT("TRUE")': False, "=NOT(A5)": DIV0,
    "=AND(A2,A7)": True, "=AND(A2,A11)": False, "=OR(A10,A11)": False, "=OR(A3,A1)": VALUE,
    "=AND(A2,A6)": NA, '=OR("TRUE")': True, "=XOR(A2,A7)": False, "=XOR(A2,A10)": True,
}
_ROWS = {formula: f"C{row}" for row, formula in enumerate(CASES, start=1)}


@pytest.fixture(scope="module")
def both_paths(tmp_path_factory):
    path = formula_book(tmp_path_factory.mktemp("rules") / "rules.xlsx",
                        {ref: formula for formula, ref in _ROWS.items()}, CELLS)
    plan = fastpath.compute(path, ModelCache())
    assert plan.fast, plan.note  # the translated plan computed it
    return {"plan": plan.cells, "formulas": formulas_values(path)}


@pytest.mark.parametrize("path", ["plan", "formulas"])
@pytest.mark.parametrize("formula,expected", list(CASES.items()))
def test_rules_on_both_paths(both_paths, path, formula, expected):
    assert_excel_value(both_paths[path][("Sheet", _ROWS[formula])], expected, formula, rel=0)


def test_formulas_operators_are_the_rules():
    """formulas' operator table, its final + and -, IF's condition, NOT, AND, OR, XOR and the plan's
    runtime all call rules.py's functions: one definition."""
    from formulas.functions.operators import OPERATORS

    from roi_xl.engine.operators import _FINAL

    install_operators()
    assert set(RULES) >= {"+", "-", "*", "/", "^", "&", "=", "<>", "<", "<=", ">", ">=", "U-", "%"}
    for name, rule in RULES.items():
        assert OPERATORS[name].rule is rule, name
    for name, rule in FINAL_RULES.items():
        assert _FINAL[name].rule is rule, name
    assert logical.REPLACEMENTS["NOT"]["function"].rule is rules.not_
    assert [logical.REPLACEMENTS[n].rule for n in ("AND", "OR", "XOR")] == [rules.and_, rules.or_, rules.xor]
    runtime = fastcalc._RUNTIME
    for name, rule in {"_add": rules.add, "_sub": rules.sub, "_mul": rules.mul, "_div": rules.div,
                       "_pow": rules.power, "_neg": rules.neg, "_pct": rules.pct, "_pos": rules.pos,
                       "_concat": rules.concat, "_add_final": rules.add_final, "_sub_final": rules.sub_final,
                       "_eq": rules.eq, "_ne": rules.ne, "_lt": rules.lt, "_le": rules.le, "_gt": rules.gt,
                       "_ge": rules.ge, "_cond": rules.condition, "_not": rules.not_}.items():
        assert runtime[name] is rule, name


def test_formulas_operator_element_by_element():
    """The adapter converts formulas' values (its EMPTY, its error tokens, numpy scalars) element by
    element and broadcasts as formulas' own operators."""
    from formulas.functions.operators import OPERATORS

    install_operators()
    left = np.asarray([[sh.EMPTY, "a", np.float64(2.0), Error.errors["#N/A"]]], object)
    right = np.asarray([[False], ["A"]], object)
    got = [[plan_value(v) for v in row] for row in OPERATORS["="](left, right)]
    assert got == [[True, False, False, NA], [False, True, False, NA]]
    assert plan_value(OPERATORS["+"](np.asarray([[sh.EMPTY]], object), np.asarray([["1,000"]], object))[0, 0]) == 1000
