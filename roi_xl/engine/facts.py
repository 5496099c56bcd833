"""What the rewrite steps and the plan read of a workbook, whichever reader read it.

Two readers gather these facts: the fast reader from the file's XML (fastbook.facts: no openpyxl,
the path every workbook the plan computes takes) and workbook.load from openpyxl's cells (the
formulas model's path, and files the fast reader refuses). prepare.prepare_book turns them into
the formula texts both engines evaluate, so the rewrite steps run on the same facts either way.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .tables import TableDef


@dataclass(frozen=True)
class Name:
    """A defined name as the file holds it."""
    name: str
    sheet: str | None      # the sheet it is scoped to (localSheetId); None: the whole workbook
    text: str              # its formula, without "="
    hidden: bool = False


@dataclass
class BookFacts:
    sheets: list[str]                                   # worksheet names in workbook order
    # (sheet, "B7") -> the formula as the file holds it, "=" first (shared formulas expanded into
    # each cell as openpyxl does; an array formula's text too); in each sheet's cell order.
    formulas: dict[tuple[str, str], str] = field(default_factory=dict)
    arrays: dict[tuple[str, str], str] = field(default_factory=dict)      # array formula -> "B7:C9"
    constants: dict[str, dict[str, object]] = field(default_factory=dict)  # as bind.input_value
    names: list[Name] = field(default_factory=list)     # Excel's own print names left out
    tables: dict[str, TableDef] = field(default_factory=dict)             # upper-case name -> table
    hidden_rows: dict[str, set[int]] = field(default_factory=dict)        # sheet -> row numbers
    filters: dict[str, list[str]] = field(default_factory=dict)  # sheet -> ranges filtered by criteria
    warnings: list[str] = field(default_factory=list)
