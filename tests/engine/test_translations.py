"""What one plan works out from formulas' texts is kept for the process's next plans
(engine/translations.py, fastcalc._LAYOUTS, _TRANSLATIONS, _BLOCKS, _LEAVES): workbooks sharing
shapes but not their names, sheets, LAMBDAs or cells must each get their own values. Every value
below is worked out by hand from the cells given."""
from __future__ import annotations

import pytest

from roi_xl.engine import fastcalc
from roi_xl.engine.translations import Blocks, Memo
from roi_xl.excel import XlError


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts from empty process caches, so the first plan translates and the next hits."""
    fastcalc._LAYOUTS.clear()
    fastcalc._TRANSLATIONS.clear()
    fastcalc._LEAVES.clear()
    yield


def _function_of(plan: fastcalc.Plan, cell: tuple[str, str]):
    """The function the plan's step for `cell` calls."""
    at = plan._outputs[plan.outputs.index(cell)]
    return next(fn for fn, _width, _args, slots in plan._steps if at in slots)


def test_a_kept_translation_reads_each_workbooks_own_cells():
    """The same formula in two workbooks whose cells get other slots (another formula listed first
    in the second): one compiled function, each plan passing its own slots."""
    first = fastcalc.Plan({("S", "C1"): "=A1*2+B1"}, ["S"], {})
    second = fastcalc.Plan({("S", "D1"): "=B1*3", ("S", "C1"): "=A1*2+B1"}, ["S"], {})
    assert _function_of(first, ("S", "C1")) is _function_of(second, ("S", "C1"))  # a cache hit
    assert first.evaluate({"S": {"A1": 4, "B1": 1}})[("S", "C1")] == 9.0           # 4*2 + 1
    got = second.evaluate({"S": {"A1": 10, "B1": 5}})
    assert got[("S", "C1")] == 25.0 and got[("S", "D1")] == 15.0                     # 10*2 + 5; 5*3
    # the first plan is untouched by the second's slots
    assert first.evaluate({"S": {"A1": 1, "B1": 1}})[("S", "C1")] == 3.0


def test_constants_are_the_workbooks_own():
    """Numbers and texts are parameters pooled per plan: a hit passes the second workbook's."""
    first = fastcalc.Plan({("S", "B1"): '=IF(A1>100,"big","small")'}, ["S"], {})
    second = fastcalc.Plan({("S", "B1"): '=IF(A1>5,"high","low")'}, ["S"], {})
    assert first.evaluate({"S": {"A1": 50}})[("S", "B1")] == "small"   # 50 > 100 is false
    assert second.evaluate({"S": {"A1": 50}})[("S", "B1")] == "high"   # 50 > 5
    assert len(fastcalc._TRANSLATIONS) == 1                             # one shape, translated once


def test_names_of_another_kind_get_another_translation():
    """=SUM(Rate*2) where Rate is a cell, a range, or not defined (#NAME?) in three workbooks, the
    cell's translated first: an operator over a range works element by element, over a cell not."""
    values = {"S": {"B1": 1, "B2": 2, "B3": 3}, "T": {"A1": 7}}
    formula = {("S", "C1"): "=SUM(Rate*2)"}
    as_cell = fastcalc.Plan(formula, ["S", "T"], {"Rate": ("T", "A1")}, ["Rate"])
    as_range = fastcalc.Plan(formula, ["S", "T"], {"Rate": ("S", "B1:B3")}, ["Rate"])
    undefined = fastcalc.Plan(formula, ["S", "T"], {})
    assert as_cell.evaluate(values)[("S", "C1")] == 14.0    # 7*2
    assert as_range.evaluate(values)[("S", "C1")] == 12.0   # 1*2 + 2*2 + 3*2
    assert undefined.evaluate(values)[("S", "C1")] == XlError.NAME
    assert len(fastcalc._TRANSLATIONS) == 3
    # a name defined otherwise than as one reference: not translated, whatever was kept before
    with pytest.raises(fastcalc.Untranslatable, match="unknown name"):
        fastcalc.Plan(formula, ["S", "T"], {}, ["Rate"])


def test_sheets_are_the_workbooks_own():
    """One shape on sheets named otherwise, in another case, in another order."""
    first = fastcalc.Plan({("Calc", "A1"): "=Data!B2+A2"}, ["Calc", "Data"], {})
    second = fastcalc.Plan({("Out", "A1"): "=data!B2+A2"}, ["DATA", "Out"], {})
    assert first.evaluate({"Data": {"B2": 5}, "Calc": {"A2": 1}})[("Calc", "A1")] == 6.0
    assert second.evaluate({"DATA": {"B2": 40}, "Out": {"A2": 2}})[("Out", "A1")] == 42.0
    with pytest.raises(fastcalc.Untranslatable, match="missing sheet"):  # a sheet this one lacks
        fastcalc.Plan({("Out", "A1"): "=Data!B2+A2"}, ["Out"], {})


def test_lambdas_are_the_workbooks_own():
    """=Twice(A1)+1 calls each workbook's own LAMBDA; a workbook without it gets #NAME? (an
    undefined function, as formulas has it) or goes to formulas, never another's LAMBDA."""
    doubles = fastcalc.Plan({("S", "B1"): "=Twice(A1)+1"}, ["S"], {}, ["Twice"],
                            lambdas={"Twice": "LAMBDA(x,x*2)"})
    adds = fastcalc.Plan({("S", "B1"): "=Twice(A1)+1"}, ["S"], {}, ["Twice"],
                         lambdas={"Twice": "LAMBDA(x,x+100)"})
    assert doubles.evaluate({"S": {"A1": 3}})[("S", "B1")] == 7.0    # 3*2 + 1
    assert adds.evaluate({"S": {"A1": 3}})[("S", "B1")] == 104.0     # 3+100 + 1
    with pytest.raises(fastcalc.Untranslatable):
        fastcalc.Plan({("S", "B1"): "=Twice(A1)+1"}, ["S"], {})
    # a LAMBDA's constants (#N/A) beside a kept translation's ("none"): each its own
    both = fastcalc.Plan({("S", "B1"): '=IFERROR(A1/0,"none")', ("S", "C1"): "=Twice(A1)"}, ["S"], {},
                         ["Twice"], lambdas={"Twice": "LAMBDA(x,IFERROR(x/0,#N/A))"})
    kept = fastcalc.Plan({("S", "B1"): '=IFERROR(A1/0,"none")'}, ["S"], {})
    got = both.evaluate({"S": {"A1": 3}})
    assert got[("S", "B1")] == "none" and got[("S", "C1")] == XlError.NA
    assert kept.evaluate({"S": {"A1": 3}})[("S", "B1")] == "none"


def test_laid_out_alike_in_another_workbook():
    """A layout kept from one plan (the same text but for digits) serves another's formulas, each
    with its own references and numbers; the first layout's shape must still fit the text."""
    fastcalc.Plan({("S", "C1"): "=A1*2+B1"}, ["S"], {})
    plan = fastcalc.Plan({("S", "C5"): "=A5*3+B5", ("S", "C6"): "=A6*3+Z9"}, ["S"], {})
    got = plan.evaluate({"S": {"A5": 2, "B5": 10, "A6": 1, "Z9": 100}})
    assert got[("S", "C5")] == 16.0 and got[("S", "C6")] == 103.0   # 2*3+10; 1*3+100


def test_constant_ranges_kept_blocks():
    """The coordinates of a range of constants, kept: the same lookup table read by two plans."""
    formula = '=VLOOKUP(A1,Data!$A$1:$B$3,2,FALSE)'
    first = fastcalc.Plan({("S", "B1"): formula}, ["S", "Data"], {})
    second = fastcalc.Plan({("S", "B1"): formula}, ["S", "Data"], {})
    table = {"A1": "x", "B1": 1, "A2": "y", "B2": 2, "A3": "z", "B3": 3}
    assert first.evaluate({"S": {"A1": "y"}, "Data": table})[("S", "B1")] == 2
    other = dict(table, B3=30)
    assert second.evaluate({"S": {"A1": "z"}, "Data": other})[("S", "B1")] == 30


def test_blocks_spell_rows_and_forget_past_their_bound():
    blocks = Blocks(cells=8)
    assert blocks.of(2, 1, 3, 2) == (("A2", "B2"), ("A3", "B3"))
    assert blocks.of(3, 1, 4, 2)[0] is blocks.of(2, 1, 3, 2)[1]   # overlapping ranges share a row
    assert blocks.of(1, 27, 1, 28) == (("AA1", "AB1"),)            # past 8 cells: all dropped, then kept
    assert blocks._count == 2
    kept = blocks.of(1, 27, 1, 28)[0][0]
    found, other = blocks.shared_all(["AA" + "1", "Z9"])
    assert found is kept and other == "Z9"  # an input's coordinate: the kept string, else itself


def test_a_row_of_blocks_is_spelled_once_and_counted():
    blocks = Blocks(cells=10)
    assert blocks.row(5, 1, 3) == ("A5", "B5", "C5")
    assert blocks.of(5, 1, 6, 3)[0] is blocks.row(5, 1, 3)         # a block's row is the row's
    assert blocks._count == 3 + 6
    assert blocks.row(7, 2, 3) == ("B7", "C7") and blocks._count == 2  # past 10: dropped, then kept


def test_memo_drops_the_least_recently_used():
    memo: Memo[str, int] = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1   # "a" used last: "b" goes first
    memo.put("c", 3)
    assert memo.get("b") is None and memo.get("a") == 1 and memo.get("c") == 3 and len(memo) == 2
