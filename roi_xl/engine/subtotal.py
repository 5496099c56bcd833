"""SUBTOTAL rewritten to the aggregate it names over the cells Excel lets it see.

`formulas` has no SUBTOTAL, and what it sees depends on the sheet, not on values: rows hidden by
a filter are always left out, rows hidden by hand only for codes 101-111, and cells holding a
SUBTOTAL themselves are always left out (so a table's totals row is not counted twice). All of
that is known when the workbook is read, so `SUBTOTAL(109, B2:B6)` becomes `SUM(B2:B4,B6)`.
A reference computed at run time (OFFSET, INDIRECT) is passed through whole.
"""
from __future__ import annotations

import re

from openpyxl.utils.cell import get_column_letter, range_boundaries

from .rewrite import call_arguments, formula_text, mask_quoted

_AGGREGATES = {1: "AVERAGE", 2: "COUNT", 3: "COUNTA", 4: "MAX", 5: "MIN", 6: "PRODUCT",
               7: "STDEV", 8: "STDEVP", 9: "SUM", 10: "VAR", 11: "VARP"}
# What each aggregate gives over no cells at all.
_EMPTY = {1: "#DIV/0!", 2: "0", 3: "0", 4: "0", 5: "0", 6: "0", 7: "#DIV/0!", 8: "#DIV/0!",
          9: "0", 10: "#DIV/0!", 11: "#DIV/0!"}
_SUBTOTAL = re.compile(r"(?<![\w.!\x00])(?:_xlfn\.)?SUBTOTAL\s*\(", re.IGNORECASE)
_STATIC = re.compile(r"^\s*(?:(?P<sheet>'(?:[^']|'')*'|[A-Za-z_][\w.]*)!)?"
                     r"(?P<ref>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)\s*$")
_NUMBER = re.compile(r"^\s*\d+(?:\.\d*)?\s*$")


class SheetRows:
    """What SUBTOTAL needs to know about one sheet."""

    def __init__(self, ws):
        self.hidden = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        self.filtered: set[int] = set()
        # Hidden rows count as filtered out only under a filter with criteria.
        filters = [f.ref for f in [ws.auto_filter] + [t.autoFilter for t in ws.tables.values()]
                   if f is not None and f.ref and f.filterColumn]
        for ref in filters:
            _, top, _, bottom = range_boundaries(ref)
            self.filtered |= {r for r in self.hidden if top < r <= bottom}
        self.subtotal_cells = {(c.row, c.column) for c in ws._cells.values()
                               if c.data_type == "f" and "SUBTOTAL" in (formula_text(c.value) or "").upper()
                               and _SUBTOTAL.search(mask_quoted(formula_text(c.value)))}


    def fingerprint(self) -> str:
        """What SUBTOTAL's rewriting depends on beyond the formulas: hidden and filtered rows."""
        return ",".join(map(str, sorted(self.hidden))) + ";" + ",".join(map(str, sorted(self.filtered)))


def sheet_rows(book) -> dict[str, SheetRows]:
    return {ws.title.upper(): SheetRows(ws) for ws in book.worksheets}


def rewrite_subtotals(formula: str, sheet: str, rows: dict[str, SheetRows]) -> str:
    """Every SUBTOTAL call of `formula` (on `sheet`) with a literal code made its aggregate."""
    if "SUBTOTAL" not in formula.upper():
        return formula
    masked = mask_quoted(formula)
    matches = list(_SUBTOTAL.finditer(masked))
    for m in reversed(matches):  # inner calls last in text are done first
        new = _one(formula, mask_quoted(formula), m.start(), m.end() - 1, sheet, rows)
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
    if base not in _AGGREGATES:
        return formula[:start] + "#VALUE!" + formula[end:]
    parts = []
    for arg in args[1:]:
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
        parts += [prefix + r for r in _visible(m.group("ref").replace("$", ""), info, by_hand)]
    if not parts:
        return formula[:start] + _EMPTY[base] + formula[end:]
    return formula[:start] + f"{_AGGREGATES[base]}({','.join(parts)})" + formula[end:]


def _visible(ref: str, info: SheetRows, by_hand: bool) -> list[str]:
    """The cells of `ref` SUBTOTAL counts, as few A1 ranges as column runs allow."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    skip_rows = info.hidden if by_hand else info.filtered
    if not any(min_row <= r <= max_row for r in skip_rows) and not any(
            min_row <= r <= max_row and min_col <= c <= max_col for r, c in info.subtotal_cells):
        return [ref]
    out = []
    for col in range(min_col, max_col + 1):
        run_start = None
        for row in range(min_row, max_row + 2):
            keep = row <= max_row and row not in skip_rows and (row, col) not in info.subtotal_cells
            if keep and run_start is None:
                run_start = row
            elif not keep and run_start is not None:
                letter = get_column_letter(col)
                out.append(f"{letter}{run_start}" if run_start == row - 1
                           else f"{letter}{run_start}:{letter}{row - 1}")
                run_start = None
    return out
