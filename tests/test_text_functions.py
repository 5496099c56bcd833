"""CHAR, CODE, SEARCH, REPT (roi_xl/engine/functions/text.py) through the real engine; expected
values from Excel's documentation (Windows-1252 for 128..255, SEARCH wildcards, 32,767-character
texts) and worked by hand."""
from __future__ import annotations

import pytest

from roi_xl import XlError

from formula_cases import assert_excel_value, evaluate_cases

CASES = {
    "=CHAR(65)": "A",
    "=CHAR(128)": "€",
    "=CHAR(150)": "–",              # en dash in Windows-1252
    "=CHAR(129)": "\x81",           # undefined in Windows-1252: its own code point
    "=CHAR(233)": "é",
    "=CHAR(0)": XlError.VALUE,
    "=CHAR(256)": XlError.VALUE,
    '=CODE("€uro")': 128.0,
    '=CODE("A")': 65.0,
    '=CODE("")': XlError.VALUE,
    '=SEARCH("ns??i","Einstein")': 3.0,
    '=SEARCH("ns*i","Einstein")': 3.0,
    '=SEARCH("~?","Late?")': 5.0,
    '=SEARCH("h","Hello")': 1.0,
    '=SEARCH("a","banana",3)': 4.0,
    '=SEARCH("x","abc")': XlError.VALUE,
    '=SEARCH("a","abc",5)': XlError.VALUE,
    '=REPT("ab",3)': "ababab",
    '=REPT("x",40000)': XlError.VALUE,  # beyond 32,767 characters
    '=REPT("x",-1)': XlError.VALUE,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("text") / "text.xlsx", {}, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_text_function(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)
