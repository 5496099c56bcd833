"""Preparing a formula for evaluation: the rewrite steps, in order, each saying what it reads.

A formula as Excel saved it holds things neither `formulas` nor the plan evaluate as written:
structured references, sheet-scoped names, INDIRECT of a known text, OFFSET over typed references,
SUBTOTAL's view of hidden rows, whole columns... Each step below rewrites one of them into plain
A1 formulas, given the formula's cell and what the workbook holds (`Context`).

The list is the one definition of that pipeline: workbook.load runs it on every formula, and the
fast reader (fastbook.py) derives the formula key from it. A step that reads the workbook beyond
the formula texts and defined names, which the key always holds, declares what (`reads`) and
the formulas that make it read it (`trigger`, searched on the quote-masked text): when any formula
of a workbook triggers it, the key covers what it read, so a plan made for one workbook is only
reused for another whose prepared formulas are the same.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..excel import address
from ..references import split_coordinate
from .bind import bind_catalogue, is_known, is_ours
from .facts import BookFacts
from .functions.offset import rewrite_offsets
from .layout import READS_CONSTANTS, Layout
from .names import promoted, scoped_names, use_scoped_names
from .rewrite import layout_key, mask_quoted, rewrite
from .sheet_info import name_sheets, rewrite_sheet_calls, sheet_numbers
from .subtotal import SHEET_AWARE_CALL, SheetRows, rewrite_subtotals, sheet_rows
from .tables import TableDef, rewrite_structured
from .whole_refs import (
    WHOLE,
    UsedRange,
    clip_name_target,
    clip_whole_refs,
    intersect_ranges,
    may_hold_whole_refs,
    used_ranges,
)

# What a step may read of the workbook besides formula texts and defined names.
TABLES, CONSTANTS, HIDDEN_ROWS, FILLED_EXTENT = "tables", "constants", "hidden rows", "filled extent"


class Context:
    """What the steps read of one workbook, worked out from its facts on first use (most
    workbooks never need their hidden rows or filled extent)."""

    def __init__(self, facts: BookFacts):
        self.facts = facts
        self.tables: dict[str, TableDef] = facts.tables
        # sheet-scoped names: sheet -> name -> private spelling
        self.scoped: dict[str, dict[str, str]] = scoped_names(facts)
        self.layout = Layout(facts, names={n.name.upper() for n in facts.names if n.sheet is None})

    @functools.cached_property
    def rows(self) -> dict[str, SheetRows]:
        """Hidden rows and filters, for SUBTOTAL and AGGREGATE."""
        return sheet_rows(self.facts)

    @functools.cached_property
    def numbers(self) -> dict[str, int]:
        """Sheet -> its position, for SHEET()."""
        return sheet_numbers(self.facts)

    @functools.cached_property
    def name_targets(self) -> dict[str, str]:
        """Name -> the sheet it points at, for SHEET(name)."""
        return name_sheets(self.facts)

    @functools.cached_property
    def used(self) -> dict[str, UsedRange]:
        """Each sheet's filled extent, for whole columns and rows."""
        return used_ranges(self.facts)


@dataclass(frozen=True)
class Cell:
    """Where a formula is."""
    sheet: str
    row: int
    col: int
    array: bool  # an array formula (Ctrl+Shift+Enter): no implicit intersection


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[str, Context, Cell], str]
    reads: str | None = None               # TABLES, CONSTANTS, HIDDEN_ROWS or FILLED_EXTENT
    trigger: re.Pattern | None = None      # which formulas make it read that (None: every one)
    # What a formula's upper-case text must hold for the step to change it, or for its trigger to
    # match (None: the step checks): most formulas skip most steps without a regex.
    needs: tuple[str, ...] | None = None
    # A cheap test of the text as written that every formula its trigger matches passes (None:
    # none): what_they_read asks it of all the texts joined, then of each, before the trigger.
    maybe: Callable[[str], bool] | None = None


STEPS: tuple[Step, ...] = (
    Step("structured references",
         lambda f, w, c: rewrite_structured(f, c.sheet, c.row, c.col, w.tables), TABLES),
    Step("sheet-scoped names", lambda f, w, c: use_scoped_names(f, c.sheet, w.scoped)),
    Step("INDIRECT of a known text",
         lambda f, w, c: w.layout.resolve_indirect(f, c.sheet, c.row, c.col), CONSTANTS, READS_CONSTANTS,
         needs=("INDIRECT", "CELL")),  # CELL: its trigger's too (what_it_reads)
    Step("ANCHORARRAY", lambda f, w, c: w.layout.anchor_arrays(f, c.sheet), needs=("ANCHORARRAY",)),
    Step("OFFSET by constants", lambda f, w, c: w.layout.static_offsets(f, c.sheet, c.row, c.col),
         needs=("OFFSET",)),
    Step("CHOOSE by a constant", lambda f, w, c: w.layout.static_choices(f, c.sheet, c.row, c.col),
         needs=("CHOOSE",)),
    Step("OFFSET of a typed reference", lambda f, w, c: rewrite_offsets(f, c.sheet), needs=("OFFSET",)),
    # CELL reads constants too: READS_CONSTANTS matches it
    Step("facts about references", lambda f, w, c: w.layout.reference_facts(f, c.sheet, c.array),
         needs=("ISREF", "ISFORMULA", "FORMULATEXT", "CELL", "SHEET", "ROW", "COLUMN")),
    Step("SUBTOTAL and AGGREGATE over hidden rows",
         lambda f, w, c: rewrite_subtotals(f, c.sheet, w.rows), HIDDEN_ROWS, SHEET_AWARE_CALL,
         needs=("SUBTOTAL", "AGGREGATE")),
    Step("SHEET and SHEETS", lambda f, w, c: rewrite_sheet_calls(f, c.sheet, w.numbers, w.name_targets),
         needs=("SHEET",)),
    Step("whole columns and rows",
         # the sheets' filled extents only once a formula may hold a whole column: working them out
         # splits every constant's coordinate (1.3 s for a million values)
         lambda f, w, c: clip_whole_refs(f, c.sheet, c.row, c.col, w.used, array=c.array)
         if may_hold_whole_refs(f) else f,
         FILLED_EXTENT, WHOLE, needs=(":",), maybe=may_hold_whole_refs),
    Step("implicit intersection",
         lambda f, w, c: f if c.array else intersect_ranges(f, c.row, c.col), needs=(":",)),
)


@dataclass
class Prepared:
    """A workbook's formulas as both engines evaluate them."""
    original: dict[tuple[str, str], str]    # (sheet, "B7") -> the text as in the file
    formulas: dict[tuple[str, str], str]    # the same cells, every step applied, bound to formulas' names
    names: dict[str, str]                   # workbook-level names (sheet-scoped ones promoted) -> target
    warnings: list[str]
    read: list[str]                         # the constants INDIRECT's texts were read from


def prepare_book(facts: BookFacts) -> Prepared:
    """Every formula of the workbook prepared (the steps, then rewrite.rewrite binding our and
    Excel's function names to formulas'), its names promoted, and what was unknown said."""
    bind_catalogue()
    context = Context(facts)
    warnings = list(facts.warnings)
    # A defined name may hold a LAMBDA and be called like a function (=Double(A1)): not unknown.
    name_calls = {n.name.upper() for n in facts.names}

    def known(name: str) -> bool:  # a LET or LAMBDA parameter may hold a LAMBDA too (_xlpm.f(5))
        return is_known(name) or name in name_calls or name.startswith("_XLPM.")
    names = promoted(facts, context.scoped, lambda target, sheet: _name_target(target, context))
    original, formulas = {}, {}
    # In a workbook without tables or sheet-scoped names, what the steps and rewrite() decide for
    # a formula holding no text a step needs but ":" (ranges, no whole column) does not depend on
    # the numbers in it, nor on where it is (_rewrite_key): implicit intersection only rewrites a
    # range where one value is expected, wherever the cell. So a formula of a column whose
    # neighbour above they all left alone is left alone without asking again.
    steps_idle = not context.tables and not context.scoped
    unchanged: set[tuple[bool, str]] = set()  # (array, _rewrite_key) of formulas left as they were
    # A formula laid out as one met before (the same text but for the values of its digits) has
    # the same _present and whole-reference test, and the same _rewrite_key unless a digit is part
    # of a function's name (_Laid): worked out once a layout, not once a formula.
    laid_out: dict[bytes, _Laid] = {}
    for key, text in facts.formulas.items():  # the cells' keys shared with facts, not made again
        sheet, coord = key
        if text == "=":  # openpyxl's reading of a shared formula whose master cell is missing
            warnings.append(f"{address(sheet, coord)}: a shared formula without its first cell, which "
                            "holds its text (the cell gets #VALUE!)")
            text = "=#VALUE!"
        original[key] = text
        zeroed = layout_key(text)
        laid = laid_out.get(zeroed)
        if laid is None:
            laid = laid_out[zeroed] = _Laid(text)
        array = key in facts.arrays
        idle = None
        if steps_idle and laid.idle:
            idle = array, laid.key if laid.key is not None else _rewrite_key(text)
            if idle in unchanged:
                formulas[key] = text
                continue
        row, col = split_coordinate(coord)
        result = rewrite(prepare(text, context, Cell(sheet, row, col, array), laid.present), is_ours, known)
        if idle is not None and result.formula == text and not result.unknown:
            unchanged.add(idle)
        for name in result.unknown:
            warnings.append(f"{address(sheet, coord)}: unknown function {name} (the cell gets #NAME?)")
        formulas[key] = result.formula
    return Prepared(original, formulas, names, warnings, context.layout.read)


def _name_target(target: str, context: Context) -> str:
    """A defined name's target as the steps leave it: tables' structured references read, whole
    columns and rows clipped (the sheets' filled extents worked out only when one may be there)."""
    target = rewrite_structured(target, "", 0, 0, context.tables)
    return clip_name_target(target, context.used) if may_hold_whole_refs(target) else target


def prepare(formula: str, context: Context, cell: Cell, present: set[str] | None = None) -> str:
    """`formula` with every step applied, in order (`present`: _present(formula), when known)."""
    if present is None:
        present = _present(formula)
    for step in STEPS:
        if step.needs is not None and present.isdisjoint(step.needs):
            continue
        changed = step.run(formula, context, cell)
        if changed != formula:
            formula, present = changed, _present(changed)
    return formula


# Every text a step needs, found in one pass (a lookahead, so that one found inside another counts).
_NEEDLES = re.compile("(?=(" + "|".join(sorted({re.escape(part) for step in STEPS for part in step.needs or ()},
                                               key=len, reverse=True)) + "))")


def _present(formula: str) -> set[str]:
    return set(_NEEDLES.findall(formula.upper()))


_RANGES_ONLY = frozenset({":"})  # the needs of the steps that decide alike by _rewrite_key

# A run of digits that is not part of a function's name (LOG10, ATAN2): a number, a row of a reference.
_NUMBERS = re.compile(r"[0-9]+(?![\w.]*\s*\()")


# A digit in a function's name (LOG10, ATAN2): one _NUMBERS leaves as it is.
_NAMED_DIGIT = re.compile(r"[0-9][\w.]*\s*\(")


class _Laid:
    """What prepare_book reads of a formula that is the same for every formula laid out alike (the
    same text with each digit 0): no step's needle (_present) holds a digit, the whole-reference
    test looks at digits as digits, and _rewrite_key turns every run of digits into "0" but those
    in a function's name, which only the formula's own text tells (`key` None then)."""

    __slots__ = ("present", "idle", "key")

    def __init__(self, formula: str):
        self.present = _present(formula)
        # only implicit intersection may change it, as _rewrite_key says (prepare_book)
        self.idle = self.present <= _RANGES_ONLY and not may_hold_whole_refs(formula)
        self.key = None
        if self.idle:
            masked = mask_quoted(formula)
            if not _NAMED_DIGIT.search(masked):
                self.key = _NUMBERS.sub("0", masked)


def _rewrite_key(formula: str) -> str:
    """What rewrite() and implicit intersection read of a formula: its quote-masked text with each
    run of digits but those of function names as "0". rewrite() looks at function names, their
    prefixes and empty arguments, and at numbers only for a bare exponent (1E5), whatever their
    digits; implicit intersection at where a range stands (inside which calls), not at its rows
    and columns, unless it rewrites it. Formulas with one key are all left alone, or none."""
    return _NUMBERS.sub("0", mask_quoted(formula))


def what_it_reads(formula: str) -> frozenset[str]:
    """What of the workbook the steps read for this formula, besides formula texts and names."""
    return what_they_read((formula,))


def what_they_read(formulas: Iterable[str]) -> frozenset[str]:
    """what_it_reads of every formula, together, at a fraction of the cost for many formulas: the
    steps' needs are looked for once in all the texts (a step whose needs none holds is passed over
    for all), then only the texts holding one are searched by its trigger, and a step found once
    is not looked for again. A needle held as a substring is one _present finds: no needle begins
    another (test_prepare checks it)."""
    texts = set(formulas)
    if not texts:
        return frozenset()
    upper = "\n".join(texts).upper()
    found: set[str] = set()
    for step in STEPS:
        if not step.reads or step.reads in found:
            continue
        trigger, needs = step.trigger, step.needs
        if trigger is None:
            found.add(step.reads)
            continue
        if needs is not None and not any(needle in upper for needle in needs):
            continue
        maybe = step.maybe  # a match of it spans no "\n": none in the texts joined, none in any
        if maybe is not None and not maybe(upper):
            continue
        caseless = needs is not None and all(needle.lower() == needle.upper() for needle in needs)  # ":"
        for text in texts:
            if needs is not None:
                held = text if caseless else text.upper()
                if not any(needle in held for needle in needs):
                    continue
            if maybe is not None and not maybe(text):
                continue
            # _QUOTED starts at a quote or a bracket only: a text with none is its own mask
            masked = mask_quoted(text) if ('"' in text or "'" in text or "[" in text) else text
            if trigger.search(masked):
                found.add(step.reads)
                break
    return frozenset(found)
