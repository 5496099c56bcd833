"""SUBTOTAL rewritten to the aggregate it names over the cells Excel lets it see.

`formulas` has no SUBTOTAL, and what it sees depends on the sheet, not on values: rows hidden by
a filter are always left out, rows hidden by hand only for codes 101-111, and cells holding a
SUBTOTAL themselves are always left out (so a table's totals row is not counted twice). All of
that is known when the workbook is read, so `SUBTOTAL(109, B2:B6)` becomes `SUM(B2:B4,B6)`.
A reference computed at run time (OFFSET, INDIRECT) is passed through whole.

AGGREGATE(function, options, ref...) gets the same treatment where its options say so (1, 3, 5, 7
leave out every hidden row, filtered or by hand; 0-3 leave out cells holding SUBTOTAL or AGGREGATE),
but stays an AGGREGATE call over the visible pieces: its functions 14-19 take one array and k, and
options 2, 3, 6, 7 skip error values, which only the values tell (functions/aggregate.py).
"""
from __future__ import annotations

import re

from ..references import cell_bounds, column_letters, split_coordinate
from .facts import BookFacts
from .functions.aggregate import AGGREGATES
from .rewrite import call_arguments, mask_quoted

_SUBTOTALS = range(1, 12)  # SUBTOTAL's codes are AGGREGATE's function numbers 1-11
# What each aggregate gives over no cells at all.
_EMPTY = {1: "#DIV/0!", 2: "0", 3: "0", 4: "0", 5: "0", 6: "0", 7: "#DIV/0!", 8: "#DIV/0!",
          9: "0", 10: "#DIV/0!", 11: "#DIV/0!", 12: "#NUM!", 13: "#N/A",
          **dict.fromkeys(range(14, 20), "#NUM!")}
# A call whose result depends on hidden rows (and that the other one leaves out when nested).
SHEET_AWARE_CALL = re.compile(r"(?<![\w.!\x00])(?:_xlfn\.)?(?P<name>SUBTOTAL|AGGREGATE)\s*\(",
                              re.IGNORECASE)
_STATIC = re.compile(r"^\s*(?:(?P<sheet>'(?:[^']|'')*'|[A-Za-z_][\w.]*)!)?"
                     r"(?P<ref>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)\s*$")
_NUMBER = re.compile(r"^\s*\d+(?:\.\d*)?\s*$")


class SheetRows:
    """What SUBTOTAL and AGGREGATE need to know about one sheet."""

    def __init__(self, hidden: set[int], filters: list[str], formulas: dict[str, str]):
        """`hidden` rows, the ranges of `filters` with criteria, the sheet's `formulas` by cell."""
        self.hidden = set(hidden)
        self.filtered: set[int] = set()
        # Hidden rows count as filtered out only under a filter with criteria.
        for ref in filters:
            _, top, _, bottom = cell_bounds(ref)
            self.filtered |= {r for r in self.hidden if top < r <= bottom}
        # Cells holding SUBTOTAL or AGGREGATE: both leave them out (no double counting), as
        # LibreOffice does; Microsoft documents it for each function's own kind.
        self.subtotal_cells = {split_coordinate(coord) for coord, text in formulas.items()
                               if _mentions_call(text) and SHEET_AWARE_CALL.search(mask_quoted(text))}


def sheet_rows(facts: BookFacts) -> dict[str, SheetRows]:
    formulas: dict[str, dict[str, str]] = {sheet: {} for sheet in facts.sheets}
    for (sheet, coord), text in facts.formulas.items():
        formulas[sheet][coord] = text
    return {sheet.upper(): SheetRows(facts.hidden_rows.get(sheet, set()), facts.filters.get(sheet, []),
                                     formulas[sheet]) for sheet in facts.sheets}


def _mentions_call(formula: str) -> bool:
    upper = formula.upper()
    return "SUBTOTAL" in upper or "AGGREGATE" in upper


def rewrite_subtotals(formula: str, sheet: str, rows: dict[str, SheetRows]) -> str:
    """Every SUBTOTAL call of `formula` (on `sheet`) with a literal code made its aggregate, every
    AGGREGATE call with literal function and options narrowed to the cells it counts."""
    if not _mentions_call(formula):
        return formula
    masked = mask_quoted(formula)
    matches = list(SHEET_AWARE_CALL.finditer(masked))
    for m in reversed(matches):  # inner calls last in text are done first
        one = _one_aggregate if m.group("name").upper() == "AGGREGATE" else _one
        new = one(formula, mask_quoted(formula), m.start(), m.end() - 1, sheet, rows)
        if new is not None:
            formula = new
    return formula


def _one(formula, masked, start, open_at, sheet, rows):
    spans = call_arguments(masked, open_at)
    if not spans:
        return None
    args, end = [formula[a:b] for a, b in spans], spans[-1][1] + 1
    if len(args) < 2 or not _NUMBER.match(args[0]):
        return None
    code = int(float(args[0]))
    by_hand = code > 100
    base = code - 100 if by_hand else code
    if base not in _SUBTOTALS:
        return formula[:start] + "#VALUE!" + formula[end:]
    parts = _pieces(args[1:], sheet, rows, lambda info: info.hidden if by_hand else info.filtered,
                    lambda info: info.subtotal_cells)
    if not parts:
        return formula[:start] + _EMPTY[base] + formula[end:]
    return formula[:start] + f"{AGGREGATES[base]}({','.join(parts)})" + formula[end:]


def _one_aggregate(formula, masked, start, open_at, sheet, rows):
    """AGGREGATE(function, options, refs...) over the pieces of its references its options count;
    left to run time (functions/aggregate.py) unless both numbers are literal and valid."""
    spans = call_arguments(masked, open_at)
    if not spans:
        return None
    args, end = [formula[a:b] for a, b in spans], spans[-1][1] + 1
    if len(args) < 3 or not _NUMBER.match(args[0]) or not (_NUMBER.match(args[1]) or not args[1].strip()):
        return None
    function = int(float(args[0]))
    option = int(float(args[1])) if args[1].strip() else 0
    if function not in AGGREGATES or not 0 <= option <= 7:
        return None
    if function >= 14 and len(args) != 4:  # the array form: one array and k
        return formula[:start] + "#VALUE!" + formula[end:]
    refs, k = (args[2:3], args[3:]) if function >= 14 else (args[2:], [])
    parts = _pieces(refs, sheet, rows, lambda info: info.hidden if option % 2 else set(),
                    lambda info: info.subtotal_cells if option <= 3 else set())
    if not parts:
        return formula[:start] + _EMPTY[function] + formula[end:]
    call = ",".join([args[0].strip(), args[1].strip() or "0", *parts, *(a.strip() for a in k)])
    return formula[:start] + f"AGGREGATE({call})" + formula[end:]


def _pieces(refs, sheet, rows, skip_rows, skip_cells) -> list[str]:
    """The references `refs` as the visible pieces of their static ranges: skip_rows(info) and
    skip_cells(info) say which rows and cells of a sheet are left out."""
    parts = []
    for arg in refs:
        m = _STATIC.match(arg)
        if not m:
            parts.append(arg.strip())
            continue
        sheet_text = m.group("sheet") or ""
        owner = (sheet_text[1:-1].replace("''", "'") if sheet_text.startswith("'")
                 else sheet_text) or sheet
        info = rows.get(owner.upper())
        if info is None:
            parts.append(arg.strip())
            continue
        prefix = sheet_text + "!" if sheet_text else ""
        ref = m.group("ref").replace("$", "")
        parts += [prefix + r for r in _visible(ref, skip_rows(info), skip_cells(info))]
    return parts


def _visible(ref: str, skip_rows: set, skip_cells: set) -> list[str]:
    """The cells of `ref` outside skip_rows and skip_cells, as few A1 ranges as column runs allow."""
    min_col, min_row, max_col, max_row = cell_bounds(ref)
    if not any(min_row <= r <= max_row for r in skip_rows) and not any(
            min_row <= r <= max_row and min_col <= c <= max_col for r, c in skip_cells):
        return [ref]
    out = []
    for col in range(min_col, max_col + 1):
        run_start = None
        for row in range(min_row, max_row + 2):
            keep = row <= max_row and row not in skip_rows and (row, col) not in skip_cells
            if keep and run_start is None:
                run_start = row
            elif not keep and run_start is not None:
                letter = column_letters(col)
                out.append(f"{letter}{run_start}" if run_start == row - 1
                           else f"{letter}{run_start}:{letter}{row - 1}")
                run_start = None
    return out
