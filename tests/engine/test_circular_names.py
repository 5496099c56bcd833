"""recursive_names.circular_names: the defined names whose formulas read themselves, directly or round
a circle of other names (Excel reports a circular reference for a cell reading one)."""
from __future__ import annotations

from roi_xl.engine.recursive_names import circular_names


def test_names_reading_each_other_or_themselves_are_circular():
    names = {"X": "=Y+1", "Y": "=x*2", "SELF": "SELF*2", "READER": "X+1", "PLAIN": "Sheet1!$A$1"}
    # READER reads the circle but is not in it; letter case does not matter in a name
    assert circular_names(names) == ["SELF", "X", "Y"]


def test_words_that_are_not_the_name_read_nothing():
    names = {"X": '=X1+"X"+X(2)+X!A1+XY+_xlfn.X', "Q": "=SUM('Q'!A1)+Q.R"}
    # a cell X1, a text, a call, a sheet named X, a longer name, a function's prefix, a quoted sheet
    assert circular_names(names) == []


def test_no_names_no_circle():
    assert circular_names({}) == []
