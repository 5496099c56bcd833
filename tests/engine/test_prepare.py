"""The rewrite steps as one ordered list (roi_xl/engine/prepare.py): what each formula makes them
read of the workbook, from which the fast reader's formula key is derived."""
from __future__ import annotations

import pytest

from roi_xl.engine import prepare
from roi_xl.engine.prepare import CONSTANTS, FILLED_EXTENT, HIDDEN_ROWS, TABLES, what_it_reads, what_they_read


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


@pytest.mark.parametrize("formulas, reads", [
    ([], set()),                                                       # no formula: nothing read
    (["=A1+B1", "=SUM(A1:B9)"], {TABLES}),                             # ranges, no whole one
    (['="SUM(C:C)"', "=A1", '=CELL("row",B2)'], {TABLES, CONSTANTS}),  # the text's C:C is no column
    (["=SUM(3:3)", "=SUBTOTAL(9,A1:A3)", "=SUM('a[b]:c'!A1)"], {TABLES, FILLED_EXTENT, HIDDEN_ROWS}),
    (["=MYINDIRECT(A1)", "=mysubtotal(1)", "=indirect(\"A\"&1)"], {TABLES, CONSTANTS}),  # any case
    # whole columns and rows however written, at a text's end too (the texts are searched joined)
    (["=A1", "=sum(b:b)"], {TABLES, FILLED_EXTENT}),
    (["=SUM($A:$C)", "=A1"], {TABLES, FILLED_EXTENT}),
    (["=SUM('My Sheet'!3:5)"], {TABLES, FILLED_EXTENT}),
    (["=SUM(A1:B2)", '="C:C"', "=A1:", "=B:B1"], {TABLES}),       # no whole one among them
])
def test_what_formulas_make_the_steps_read_together(formulas, reads):
    assert what_they_read(formulas) == reads
    assert what_they_read(formulas) == set().union(*map(what_it_reads, formulas))


def test_no_needle_begins_another():
    # what_they_read takes a needle held as a substring for one _present finds
    needles = {needle for step in prepare.STEPS for needle in step.needs or ()}
    assert not [(a, b) for a in needles for b in needles if a != b and b.startswith(a)]


def test_the_steps_run_in_the_order_the_rewrites_depend_on():
    names = [step.name for step in prepare.STEPS]
    # structured references become A1 before anything reads references; OFFSET and INDIRECT are
    # resolved before whole columns are clipped and before implicit intersection, which is last
    assert names[0] == "structured references" and names[-1] == "implicit intersection"
    assert names.index("INDIRECT of a known text") < names.index("whole columns and rows")
    assert names.index("OFFSET of a typed reference") < names.index("whole columns and rows")
    assert all(step.reads in (None, TABLES, CONSTANTS, HIDDEN_ROWS, FILLED_EXTENT) for step in prepare.STEPS)


@pytest.mark.parametrize("a, b, same", [
    ("=ROMAN($A764,4)", "=ROMAN($A1564,3)", True),           # numbers and rows: one key
    ("=Data!E17*Data!F17+42", "=Data!E300*Data!F300+7", True),
    ("=1E5+A1", "=2E6+A2", True),                            # a bare exponent in both
    ("=LOG10(A1)", "=LOG11(A1)", False),                     # a function's name keeps its digits
    ('="x1"&A1', '="x22"&A1', False),                        # a text's length, not its digits
    ("=A1+1", "=A1-1", False),
])
def test_formulas_differing_in_their_numbers_share_a_rewrite_key(a, b, same):
    assert (prepare._rewrite_key(a) == prepare._rewrite_key(b)) is same


def test_formulas_of_one_key_are_each_rewritten_as_alone():
    """prepare_book skips rewrite() for a formula whose key rewrite() left alone before: the
    formulas it does change (a bare exponent, an unknown function) are still changed, each."""
    from roi_xl.engine.facts import BookFacts

    formulas = {("S", f"A{i}"): f"=ROUND(B{i},{i})" for i in range(1, 5)}
    formulas.update({("S", f"C{i}"): f"={i}E{i}+B{i}" for i in range(1, 4)})
    formulas.update({("S", f"D{i}"): f"=NOSUCH{i}(B{i})" for i in range(1, 3)})
    prepared = prepare.prepare_book(BookFacts(["S"], formulas))
    assert [prepared.formulas[("S", f"A{i}")] for i in range(1, 5)] == [f"=ROUND(B{i},{i})" for i in range(1, 5)]
    assert [prepared.formulas[("S", f"C{i}")] for i in range(1, 4)] == [f"={i}E+{i}+B{i}" for i in range(1, 4)]
    assert sum("unknown function NOSUCH" in w for w in prepared.warnings) == 2


def test_no_step_needs_a_digit():
    """prepare._Laid reads _present once for every formula laid out alike (the same text but for
    its digits' values): true while no step's needle holds a digit."""
    assert not any(c.isdigit() for step in prepare.STEPS for part in step.needs or () for c in part)


def test_formulas_laid_out_alike_but_for_a_function_name_are_each_checked():
    """LOG10 and LOG20 are laid out alike (digits 0: LOG00) but only LOG10 is a function: the
    digits of a function's name keep _Laid from answering for them."""
    from roi_xl.engine.facts import BookFacts

    formulas = {("S", "A1"): "=LOG10(B1)", ("S", "A2"): "=LOG20(B2)", ("S", "A3"): "=LOG10(B3)",
                ("S", "A4"): "=ATAN2(B4,1)", ("S", "A5"): "=ATAN7(B5,1)"}
    prepared = prepare.prepare_book(BookFacts(["S"], formulas))
    unknown = sorted(w.split("unknown function ")[1].split()[0] for w in prepared.warnings)
    assert unknown == ["ATAN7", "LOG20"]
    assert prepared.formulas[("S", "A3")] == "=LOG10(B3)"
