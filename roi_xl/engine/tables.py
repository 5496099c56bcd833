"""Excel tables' structured references rewritten to the A1 ranges they mean.

`formulas` cannot parse `Costs[Amount]` (its issue #105), so before loading every structured
reference becomes a plain range computed from the table's definition in the file (its `ref`,
header and totals row counts, column names): `Costs[Amount]` is the column's data cells,
`Costs[[#Headers],[Amount]]` its header, `Costs[@Amount]` / `Costs[[#This Row],[Amount]]` the
cell of the formula's own row, `Costs[[Jan]:[Dec]]` a block of columns, a bare `Costs` the data
area. Inside a table the table name may be left out (`[@Hours]*[@Rate]`). Names match in any
letter case; inside brackets `'` escapes the next character (`'[`, `']`, `'#`, `''`).
A reference Excel would reject, or a row outside the table for `#This Row`, becomes the error
Excel shows (#REF! or #VALUE!).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..references import cell_bounds, column_letters

_SPECIALS = {"#ALL", "#DATA", "#HEADERS", "#TOTALS", "#THIS ROW"}


@dataclass(frozen=True)
class TableDef:
    name: str
    sheet: str
    min_col: int
    min_row: int
    max_col: int
    max_row: int
    header_rows: int
    totals_rows: int
    columns: tuple[str, ...]

    @property
    def data_rows(self) -> tuple[int, int]:
        return self.min_row + self.header_rows, self.max_row - self.totals_rows

    def contains(self, sheet: str, row: int, col: int) -> bool:
        return (sheet == self.sheet and self.min_row <= row <= self.max_row
                and self.min_col <= col <= self.max_col)

    def fingerprint(self) -> str:
        return "\x00".join([self.name, self.sheet, str(self.min_col), str(self.min_row),
                            str(self.max_col), str(self.max_row), str(self.header_rows),
                            str(self.totals_rows), *self.columns])


def tables_of(book) -> dict[str, TableDef]:
    """Every table of an openpyxl workbook, keyed by upper-case name."""
    found: dict[str, TableDef] = {}
    for ws in book.worksheets:
        for table in getattr(ws, "tables", {}).values():
            min_col, min_row, max_col, max_row = cell_bounds(table.ref)
            header = 1 if table.headerRowCount is None else int(table.headerRowCount)
            totals = int(table.totalsRowCount or 0)
            columns = tuple(c.name for c in table.tableColumns)
            t = TableDef(table.displayName or table.name, ws.title, min_col, min_row, max_col,
                         max_row, header, totals, columns)
            found[t.name.upper()] = t
    return found


# What the scan stops at: a string, a quoted sheet name, a bracket, a name.
_TOKEN = re.compile(r'"(?:[^"]|"")*"?|\'(?:[^\']|\'\')*\'?|\[|[A-Za-z_\\][\w.\\]*')


class _Bad(Exception):
    """A structured reference Excel would show as an error; carries the error text."""


def rewrite_structured(formula: str, sheet: str, row: int, col: int,
                       tables: dict[str, TableDef]) -> str:
    """`formula` (from cell row/col of `sheet`) with every structured reference made A1."""
    if not tables:
        return formula
    if "[" not in formula:  # no brackets: only a bare table name could be a structured reference
        upper = formula.upper()
        if not any(name in upper for name in tables):
            return formula
    out: list[str] = []
    i, n = 0, len(formula)
    while True:
        m = _TOKEN.search(formula, i)
        if m is None:
            out.append(formula[i:])
            break
        out.append(formula[i:m.start()])
        i, j = m.start(), m.end()
        token = m.group(0)
        if token[0] in "\"'" or (token != "[" and _name_char_before(formula, i)):
            out.append(token)  # a string or sheet name, or the tail of a longer name
            i = j
            continue
        if token == "[":
            table = None if _external_bracket(formula, i) else next(
                (t for t in tables.values() if t.contains(sheet, row, col)), None)
            if table is None:
                out.append(token)
                i = j
                continue
            end = _end_of_bracket(formula, i)
            out.append(_resolve(table, formula[i + 1:end - 1], sheet, row))
            i = end
            continue
        table = tables.get(token.upper())
        nxt = formula[j] if j < n else ""
        if table is not None and nxt == "[":
            end = _end_of_bracket(formula, j)
            out.append(_resolve(table, formula[j + 1:end - 1], sheet, row))
            i = end
        elif table is not None and nxt not in "(!" and not _sheet_prefix_before(formula, i):
            out.append(_resolve(table, "", sheet, row))  # a bare table name: its data
            i = j
        else:
            out.append(token)
            i = j
    return "".join(out)


def _name_char_before(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_.$\\")


def _sheet_prefix_before(text: str, i: int) -> bool:
    return i > 0 and text[i - 1] == "!"


def _end_of_quoted(text: str, i: int) -> int:
    """Index just past the string or quoted sheet name opening at i (doubled quotes inside)."""
    q, j = text[i], i + 1
    while j < len(text):
        if text[j] == q:
            if j + 1 < len(text) and text[j + 1] == q:
                j += 2
                continue
            return j + 1
        j += 1
    return len(text)


def _end_of_bracket(text: str, i: int) -> int:
    """Index just past the bracket group opening at i; `'` escapes the next character."""
    depth, j = 0, i
    while j < len(text):
        ch = text[j]
        if ch == "'":
            j += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(text)


def _external_bracket(text: str, i: int) -> bool:
    """`[1]Sheet!A1` or `[1]!Name`: a link to another workbook, not a structured reference."""
    j = i + 1
    while j < len(text) and text[j].isdigit():
        j += 1
    return j > i + 1 and j < len(text) and text[j] == "]"


def _unescape(name: str) -> str:
    out, j = [], 0
    while j < len(name):
        if name[j] == "'" and j + 1 < len(name):
            j += 1
        out.append(name[j])
        j += 1
    return "".join(out)


@functools.lru_cache(maxsize=4096)  # a template repeats its few specs in hundreds of formulas
def _items(spec: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """The specials (#Data, #This Row, ...) and column spans named inside a table's brackets."""
    specials, spans = _parse_items(spec)
    return frozenset(specials), tuple(spans)


def _parse_items(spec: str) -> tuple[set[str], list[tuple[str, str]]]:
    specials: set[str] = set()
    spans: list[tuple[str, str]] = []
    if not _has_unescaped(spec, "["):
        s = spec
        if s.startswith("@"):
            specials.add("#THIS ROW")
            s = s[1:]
        if s.startswith("#"):
            specials.add(_special(s))
        elif s:
            spans.append((_unescape(s), _unescape(s)))
        return specials, spans
    j, n = 0, len(spec)
    while j < n:
        while j < n and spec[j] in " ,":
            j += 1
        if j >= n:
            break
        if spec[j] == "@":
            specials.add("#THIS ROW")
            j += 1
            continue
        if spec[j] != "[":
            raise _Bad("#REF!")
        end = _end_of_bracket(spec, j)
        first = spec[j + 1:end - 1]
        j = end
        while j < n and spec[j] == " ":
            j += 1
        if j < n and spec[j] == ":":
            j += 1
            while j < n and spec[j] == " ":
                j += 1
            if j >= n or spec[j] != "[":
                raise _Bad("#REF!")
            end = _end_of_bracket(spec, j)
            spans.append((_unescape(first), _unescape(spec[j + 1:end - 1])))
            j = end
        elif first.startswith("#"):
            specials.add(_special(first))
        else:
            spans.append((_unescape(first), _unescape(first)))
    return specials, spans


def _has_unescaped(text: str, ch: str) -> bool:
    j = 0
    while j < len(text):
        if text[j] == "'":
            j += 2
            continue
        if text[j] == ch:
            return True
        j += 1
    return False


def _special(word: str) -> str:
    upper = " ".join(word.upper().split())
    if upper not in _SPECIALS:
        raise _Bad("#REF!")
    return upper


def _resolve(table: TableDef, spec: str, sheet: str, row: int) -> str:
    try:
        return _range_text(table, *_area(table, spec, row), other_sheet=table.sheet != sheet)
    except _Bad as bad:
        return str(bad)


def _area(table: TableDef, spec: str, row: int) -> tuple[int, int, int, int]:
    specials, spans = _items(spec)
    first_data, last_data = table.data_rows
    if "#THIS ROW" in specials:
        if len(specials) > 1:
            raise _Bad("#REF!")
        if not first_data <= row <= last_data:
            raise _Bad("#VALUE!")  # Excel's implicit intersection finds no row
        top = bottom = row
    elif not specials or specials == {"#DATA"}:
        top, bottom = first_data, last_data
    elif "#ALL" in specials:
        top, bottom = table.min_row, table.max_row
    else:
        parts = []
        if "#HEADERS" in specials:
            if not table.header_rows:
                raise _Bad("#REF!")
            parts.append((table.min_row, table.min_row))
        if "#DATA" in specials:
            parts.append((first_data, last_data))
        if "#TOTALS" in specials:
            if not table.totals_rows:
                raise _Bad("#REF!")
            parts.append((table.max_row, table.max_row))
        if specials == {"#HEADERS", "#TOTALS"}:
            raise _Bad("#REF!")  # not one contiguous block
        top, bottom = min(p[0] for p in parts), max(p[1] for p in parts)
    if not spans:
        return top, table.min_col, bottom, table.max_col
    upper = [c.upper() for c in table.columns]
    indexes = []
    for first, last in spans:
        for name in (first, last):
            if name.upper() not in upper:
                raise _Bad("#REF!")
            indexes.append(upper.index(name.upper()))
    return top, table.min_col + min(indexes), bottom, table.min_col + max(indexes)


def _range_text(table: TableDef, top: int, left: int, bottom: int, right: int,
                other_sheet: bool) -> str:
    start = f"{column_letters(left)}{top}"
    end = f"{column_letters(right)}{bottom}"
    ref = start if start == end else f"{start}:{end}"
    if not other_sheet:
        return ref
    return "'" + table.sheet.replace("'", "''") + "'!" + ref
