"""The rewrite steps as one ordered list (roi_xl/engine/prepare.py): what each formula makes them
read of the workbook, from which the fast reader's formula key is derived."""
from __future__ import annotations

import pytest

from roi_xl.engine import prepare
from roi_xl.engine.prepare import CONSTANTS, FILLED_EXTENT, HIDDEN_ROWS, TABLES, what_it_reads


@pytest.mark.parametrize("formula, reads", [
    ("=A1+B1", {TABLES}),                                   # every formula may name a table
    ('=INDIRECT("Data!B"&A1)', {TABLES, CONSTANTS}),
    ('=CELL("contents",A1)', {TABLES, CONSTANTS}),
    ("=_xlfn.AGGREGATE(9,5,B2:B9)", {TABLES, HIDDEN_ROWS}),
    ("=SUBTOTAL(109,B2:B9)", {TABLES, HIDDEN_ROWS}),
    ("=SUM(Data!C:C)", {TABLES, FILLED_EXTENT}),
    ("=SUM(3:3)", {TABLES, FILLED_EXTENT}),
    ('="INDIRECT(A1) and SUM(C:C)"', {TABLES}),               # inside a text: nothing read
    ("=MYINDIRECT(A1)", {TABLES}),                            # another function's name
])
def test_what_a_formula_makes_the_steps_read(formula, reads):
    assert what_it_reads(formula) == reads


def test_the_steps_run_in_the_order_the_rewrites_depend_on():
    names = [step.name for step in prepare.STEPS]
    # structured references become A1 before anything reads references; OFFSET and INDIRECT are
    # resolved before whole columns are clipped and before implicit intersection, which is last
    assert names[0] == "structured references" and names[-1] == "implicit intersection"
    assert names.index("INDIRECT of a known text") < names.index("whole columns and rows")
    assert names.index("OFFSET of a typed reference") < names.index("whole columns and rows")
    assert all(step.reads in (None, TABLES, CONSTANTS, HIDDEN_ROWS, FILLED_EXTENT) for step in prepare.STEPS)
