"""Preparing a formula for evaluation: the rewrite steps, in order, each saying what it reads.

A formula as Excel saved it holds things neither `formulas` nor the plan evaluate as written:
structured references, sheet-scoped names, INDIRECT of a known text, OFFSET over typed references,
SUBTOTAL's view of hidden rows, whole columns... Each step below rewrites one of them into plain
A1 formulas, given the formula's cell and what the workbook holds (`Context`).

The list is the one definition of that pipeline: workbook.load runs it on every formula, and the
fast reader (fastread.py) derives the formula key from it. A step that reads the workbook beyond
the formula texts and defined names, which the key always holds, declares what (`reads`) and
the formulas that make it read it (`trigger`, searched on the quote-masked text): when any formula
of a workbook triggers it, the key covers what it read, so a plan made for one workbook is only
reused for another whose prepared formulas are the same.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .functions.offset import rewrite_offsets
from .layout import READS_CONSTANTS, Layout
from .names import use_scoped_names
from .rewrite import mask_quoted
from .sheet_info import rewrite_sheet_calls
from .subtotal import SHEET_AWARE_CALL, SheetRows, rewrite_subtotals
from .tables import TableDef, rewrite_structured
from .whole_refs import _WHOLE, UsedRange, clip_whole_refs, intersect_ranges

# What a step may read of the workbook besides formula texts and defined names.
TABLES, CONSTANTS, HIDDEN_ROWS, FILLED_EXTENT = "tables", "constants", "hidden rows", "filled extent"


@dataclass
class Context:
    """What the steps read of one workbook (workbook.load gathers it)."""
    tables: dict[str, TableDef]
    scoped: dict[str, dict[str, str]]      # sheet-scoped names: sheet -> name -> private spelling
    layout: Layout
    rows: dict[str, SheetRows]             # hidden rows and filters, for SUBTOTAL and AGGREGATE
    numbers: dict[str, int]                # sheet -> its position, for SHEET()
    name_targets: dict[str, str]           # name -> the sheet it points at, for SHEET(name)
    used: dict[str, UsedRange]             # each sheet's filled extent, for whole columns and rows


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


STEPS: tuple[Step, ...] = (
    Step("structured references",
         lambda f, w, c: rewrite_structured(f, c.sheet, c.row, c.col, w.tables), TABLES),
    Step("sheet-scoped names", lambda f, w, c: use_scoped_names(f, c.sheet, w.scoped)),
    Step("INDIRECT of a known text",
         lambda f, w, c: w.layout.resolve_indirect(f, c.sheet, c.row, c.col), CONSTANTS, READS_CONSTANTS),
    Step("ANCHORARRAY", lambda f, w, c: w.layout.anchor_arrays(f, c.sheet)),
    Step("OFFSET by constants", lambda f, w, c: w.layout.static_offsets(f, c.sheet, c.row, c.col)),
    Step("CHOOSE by a constant", lambda f, w, c: w.layout.static_choices(f, c.sheet, c.row, c.col)),
    Step("OFFSET of a typed reference", lambda f, w, c: rewrite_offsets(f, c.sheet)),
    # CELL reads constants too: READS_CONSTANTS matches it
    Step("facts about references", lambda f, w, c: w.layout.reference_facts(f, c.sheet, c.array)),
    Step("SUBTOTAL and AGGREGATE over hidden rows",
         lambda f, w, c: rewrite_subtotals(f, c.sheet, w.rows), HIDDEN_ROWS, SHEET_AWARE_CALL),
    Step("SHEET and SHEETS", lambda f, w, c: rewrite_sheet_calls(f, c.sheet, w.numbers, w.name_targets)),
    Step("whole columns and rows",
         lambda f, w, c: clip_whole_refs(f, c.sheet, c.row, c.col, w.used, array=c.array),
         FILLED_EXTENT, _WHOLE),
    Step("implicit intersection",
         lambda f, w, c: f if c.array else intersect_ranges(f, c.row, c.col)),
)


def prepare(formula: str, context: Context, cell: Cell) -> str:
    """`formula` with every step applied, in order."""
    for step in STEPS:
        formula = step.run(formula, context, cell)
    return formula


def what_it_reads(formula: str) -> frozenset[str]:
    """What of the workbook the steps read for this formula, besides formula texts and names."""
    masked = mask_quoted(formula)
    return frozenset(step.reads for step in STEPS
                     if step.reads and (step.trigger is None or step.trigger.search(masked)))
