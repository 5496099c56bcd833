"""Formula parts answered from the workbook itself before `formulas` sees the text.

`formulas` fixes every formula's references when it builds the graph, and it lacks or gets wrong
the functions whose answer is a reference or a fact about one. They are rewritten here:

- `INDIRECT(text, [a1])` whose text is known before evaluation (a literal, a constant cell, or a
  formula over constants such as `"A"&10^6` or `ADDRESS(1,1)`) becomes the reference it names:
  `INDIRECT(J3)` with "D5:E7" in J3 is `D5:E7`, with "D:D" `D:D` (clipped by whole_refs like a
  typed one), with text that is no reference `#REF!`. Excel reads A1 text with either letter case,
  `$` anywhere, leading zeros in row numbers ("A01", "05:05"), a sheet name ("Other!D5", #REF!
  when there is no such sheet) or a defined name; with a1 FALSE, R1C1 text ("R3C7", "R[1]C[-1]",
  "R2", "C3"). The constants read are part of the workbook's fingerprint (`Layout.read`), so a
  workbook with other texts gets its own model. Other INDIRECTs are left to `formulas`.
- `ANCHORARRAY(A21)` (`A21#`): the range Excel gave the array formula anchored there.
- `ISREF(reference)` is TRUE; `ISFORMULA(reference)` whether its first cell holds a formula;
  `FORMULATEXT(reference)` that formula as Excel shows it (without the `_xlfn.`-style prefixes of
  the file), #N/A without one. None depends on the reference's value, so no dependency (and no
  circular reference: `=FORMULATEXT(A13)` in A13 is "=FORMULATEXT(A13)").
- `CELL(info_type, reference)`: "address" ("$A$2", the first cell), "col", "row", "contents"
  (the first cell's value) and "type" ("b" blank, "l" text, "v" anything else); an info_type
  that is no text or not one of Excel's is #VALUE!; it may come from a constant cell, read as
  INDIRECT's text is. The others (format, width, ...) stay.
- `SHEETS()` is the number of sheets, `SHEETS(reference)` 1; `SHEET(1/0)` is #DIV/0!.
- `CHOOSE(index, ...)` whose index needs no cell: the value it picks (a reference stays one).
- `OFFSET`'s offsets and sizes that need no cell (`(ROW()-24)*5`) become numbers, so
  functions/offset.py makes the call a plain range.
- in a plain (not array) formula, `ROW(D5:E7)` and `COLUMN(D5:E7)` where one value is expected
  are the first row (column), as Excel shows them there (whole_refs does the same for `A:A`).
Nothing holding NOW(), TODAY(), RAND() & co. is worked out here: the model is compiled once.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np
import schedula as sh

from ..references import MAX_COL, MAX_ROW, column_index, column_letters, coordinate, split_coordinate
from .facts import BookFacts
from .rewrite import call_arguments, mask_quoted
from .whole_refs import scalar_place

_UNKNOWN = object()
_DEPTH = 4  # formula cells followed when working out an INDIRECT's text
_SHEET = r"(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)"
# A plain reference as a formula holds it: A1, $A$1:B2, Sheet!A1, 'My sheet'!A:A, 3:5.
_PLAIN_REF = re.compile(
    rf"^\s*(?:(?P<sheet>{_SHEET})!)?(?P<body>\$?[A-Za-z]{{1,3}}\$?\d+(?::\$?[A-Za-z]{{1,3}}\$?\d+)?"
    r"|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d+:\$?\d+)\s*$")
_A1_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_A1_COLS = re.compile(r"^\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})$")
_A1_ROWS = re.compile(r"^\$?(\d+):\$?(\d+)$")
_R1C1 = re.compile(r"^(?:(R)(\[-?\d+\]|\d+)?)?(?:(C)(\[-?\d+\]|\d+)?)?$", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?\s*$")
_HERE = re.compile(r"(?<![\w.!\x00])(ROW|COLUMN)\(\s*\)", re.IGNORECASE)
# Calls whose rewriting here may read constant cells (the fast reader keys on their values).
READS_CONSTANTS = re.compile(r"(?<![\w.])(?:_xlfn\.)?(?:INDIRECT|CELL)\s*\(", re.IGNORECASE)
_VOLATILE = re.compile(r"(?<![\w.])(?:_xlfn\.)?(?:NOW|TODAY|RAND|RANDBETWEEN|RANDARRAY|INFO)\s*\(",
                       re.IGNORECASE)
_CELL_LIKE = re.compile(r"(?<![\w.])\$?[A-Za-z]{1,3}\$?\d+(?![\w.(!])")
_STRING = re.compile(r'^\s*"((?:[^"]|"")*)"\s*$')
_PREFIXES = re.compile(r"_xlfn\.|_xlws\.|_xlpm\.|_xlop\.", re.IGNORECASE)
_CELL_INFO = {"address", "col", "row", "contents", "type", "color", "filename", "format",
              "parentheses", "prefix", "protect", "width"}


@dataclass
class _Box:
    sheet: str | None          # as the reference names it, None for the formula's own sheet
    top: int
    left: int
    bottom: int
    right: int

    def text(self, whole_rows: bool = False, whole_cols: bool = False) -> str:
        prefix = "" if self.sheet is None else "'" + self.sheet.replace("'", "''") + "'!"
        if whole_cols:
            return f"{prefix}{column_letters(self.left)}:{column_letters(self.right)}"
        if whole_rows:
            return f"{prefix}{self.top}:{self.bottom}"
        first = f"{column_letters(self.left)}{self.top}"
        last = f"{column_letters(self.right)}{self.bottom}"
        return prefix + (first if first == last else f"{first}:{last}")


@dataclass
class Layout:
    """What the rewrites read of the workbook: its cells as they are in the file."""
    facts: BookFacts
    names: set[str] = field(default_factory=set)           # workbook-level names, upper case
    read: list[str] = field(default_factory=list)          # constants an INDIRECT's text used

    def __post_init__(self):
        self._sheets = {sheet.upper(): sheet for sheet in self.facts.sheets}

    @functools.cached_property
    def _texts(self) -> dict[tuple[str, int, int], str]:
        """(SHEET, row, col) -> the formula text as in the file (made on first use: few formulas
        ask about other cells)."""
        return {(sheet.upper(), *split_coordinate(coord)): text
                for (sheet, coord), text in self.facts.formulas.items()}

    @functools.cached_property
    def _arrays(self) -> dict[tuple[str, int, int], str]:
        """(SHEET, row, col) -> the array formula's range."""
        return {(sheet.upper(), *split_coordinate(coord)): ref
                for (sheet, coord), ref in self.facts.arrays.items()}

    def sheet_title(self, name: str | None, here: str) -> str | None:
        return self._sheets.get((name or here).upper())

    # --- reading values before evaluation ---------------------------------------------------

    def static_value(self, expr: str, sheet: str, depth: int = 0, cells: bool = True):
        """The value of a formula expression over constants (`cells` False: over no cell at
        all), or _UNKNOWN."""
        m = _STRING.match(expr)
        if m:
            return m.group(1).replace('""', '"')
        masked = mask_quoted(expr)
        if depth > _DEPTH or _VOLATILE.search(masked):
            return _UNKNOWN  # NOW() & co. change from one recalculation to the next
        if not cells and _CELL_LIKE.search(masked):
            return _UNKNOWN  # not worth parsing
        import formulas

        try:
            func = formulas.Parser().ast("=" + expr)[1].compile()
        except Exception:  # noqa: BLE001 - anything formulas cannot parse is not known here
            return _UNKNOWN
        args = []
        if func.inputs and not cells:
            return _UNKNOWN
        for name in func.inputs:
            ref = _PLAIN_REF.match(str(name))
            cell = _A1_CELL.match(ref.group("body")) if ref else None
            title = self.sheet_title(_unquote(ref.group("sheet")), sheet) if ref and cell else None
            if ref is None or cell is None or title is None:
                return _UNKNOWN
            value = self._cell_value(title, int(cell.group(2)),
                                     column_index(cell.group(1).upper()), depth)
            if value is _UNKNOWN:
                return _UNKNOWN
            args.append(np.asarray([[value]], object))
        try:
            result = func(*args)
        except Exception:  # noqa: BLE001
            return _UNKNOWN
        result = getattr(result, "value", result)
        return np.asarray(result, object).ravel()[0] if isinstance(result, np.ndarray) else result

    def _cell_value(self, title: str, row: int, col: int, depth: int):

        key = (title.upper(), row, col)
        if key in self._arrays:
            return _UNKNOWN
        if key in self._texts:
            return self.static_value(self._texts[key][1:], title, depth + 1)
        value = self.facts.constants.get(title, {}).get(coordinate(row, col))
        if value is None:
            value = sh.EMPTY
        self.read.append(f"{title}!{column_letters(col)}{row}={value!r}")
        return value

    # --- the rewrites ---------------------------------------------------------------------------

    def resolve_indirect(self, formula: str, sheet: str, row: int, col: int) -> str:
        def indirect(args):
            if not 1 <= len(args) <= 2:
                return None
            a1 = True
            if len(args) == 2 and args[1].strip():
                flag = self.static_value(args[1], sheet)
                if flag is _UNKNOWN or isinstance(flag, str) or _is_error(flag):
                    return None
                a1 = bool(flag)
            text = self.static_value(args[0], sheet)
            if text is _UNKNOWN:
                return None
            if _is_error(text):
                return str(text)
            return self._reference(_text(text), sheet, row, col, a1)

        return _rewrite_calls(formula, "INDIRECT", indirect)

    def _reference(self, text: str, sheet: str, row: int, col: int, a1: bool) -> str:
        name, body = None, text
        m = re.match(rf"^({_SHEET}|[^!]+)!(.+)$", text)
        if m:
            name, body = _unquote(m.group(1)), m.group(2)
            title = self.sheet_title(name, sheet)
            if title is None:
                return "#REF!"
            name = None if title.upper() == sheet.upper() else title
        parsed = _parse_a1(body) if a1 else _parse_r1c1(body, row, col)
        if parsed is None:
            if name is None and body.upper() in self.names:
                return body
            return "#REF!"
        box, whole_rows, whole_cols = parsed
        box.sheet = name
        return box.text(whole_rows, whole_cols)

    def static_offsets(self, formula: str, sheet: str, row: int, col: int) -> str:
        """OFFSET's offsets and sizes that need no cell (`(ROW()-24)*5`) as the numbers they
        are, so functions/offset.py turns the call into a plain range."""
        def offset(args):
            if not 3 <= len(args) <= 5:
                return None
            done = list(args)
            for i in range(1, len(args)):
                if not args[i].strip() or _NUMBER.match(args[i]):
                    continue
                value = self.static_value(_here(args[i], row, col), sheet, cells=False)
                if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
                    return None
                done[i] = repr(float(value))
            if done == args:
                return None
            return "OFFSET(" + ",".join(done) + ")"

        return _rewrite_calls(formula, "OFFSET", offset)

    def static_choices(self, formula: str, sheet: str, row: int, col: int) -> str:
        """CHOOSE with an index that needs no cell becomes the value it picks, so a reference
        stays one (`SUM(CHOOSE(2,A9:A10,A9:A11))` is `SUM(A9:A11)`, `A9:CHOOSE(2,A10,A11)` is
        `A9:A11`) and the values not picked are no dependencies (`=CHOOSE(2,B40,"x")` in B40)."""
        def choose(args):
            if len(args) < 2 or _PLAIN_REF.match(args[0]):
                return None
            index = self.static_value(_here(args[0], row, col), sheet, cells=False)
            if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, float, np.number)):
                return None
            i = int(index)
            if not 1 <= i < len(args):
                return "#VALUE!"
            picked = args[i].strip()
            if not picked:
                return "0"
            return picked if _PLAIN_REF.match(picked) or _NUMBER.match(picked) \
                or _STRING.match(picked) else f"({picked})"

        return _rewrite_calls(formula, "CHOOSE", choose)

    def anchor_arrays(self, formula: str, sheet: str) -> str:
        def anchor(args):
            ref = _PLAIN_REF.match(args[0]) if len(args) == 1 else None
            cell = _A1_CELL.match(ref.group("body")) if ref else None
            title = self.sheet_title(_unquote(ref.group("sheet")), sheet) if cell else None
            if title is None:
                return None
            key = (title.upper(), int(cell.group(2)), column_index(cell.group(1).upper()))
            if key not in self._arrays:
                return None
            prefix = ref.group("sheet") + "!" if ref.group("sheet") else ""
            return prefix + self._arrays[key]

        return _rewrite_calls(formula, "ANCHORARRAY", anchor)

    def reference_facts(self, formula: str, sheet: str, array: bool) -> str:
        formula = _rewrite_calls(formula, "ISREF",
                                 lambda args: "TRUE" if len(args) == 1 and _PLAIN_REF.match(args[0])
                                 else None)
        formula = _rewrite_calls(formula, "ISFORMULA", lambda args: self._isformula(args, sheet))
        formula = _rewrite_calls(formula, "FORMULATEXT", lambda args: self._formulatext(args, sheet))
        formula = _rewrite_calls(formula, "CELL", lambda args: self._cell(args, sheet))
        formula = _rewrite_calls(formula, "SHEETS", self._sheets_count)
        formula = _rewrite_calls(formula, "SHEET", lambda args: self._sheet_argument(args, sheet))
        if not array:
            for name in ("ROW", "COLUMN"):
                formula = _rewrite_calls(formula, name, lambda args, n=name: self._first(args, n),
                                         scalar_only=True)
        return formula

    def _sheets_count(self, args):
        if not args:
            return str(len(self._sheets))
        return "1" if len(args) == 1 and _PLAIN_REF.match(args[0]) else None

    def _sheet_argument(self, args, sheet):
        """SHEET(expression) whose value needs no cell: an error is the result, a text names
        the sheet (sheet_info.py answers), anything else is #N/A."""
        if len(args) != 1 or _PLAIN_REF.match(args[0]) or _STRING.match(args[0]) \
                or args[0].strip().upper() in self.names:
            return None
        value = self.static_value(args[0], sheet, cells=False)
        if value is _UNKNOWN:
            return None
        if _is_error(value):
            return str(value)
        if isinstance(value, str):
            return 'SHEET("' + value.replace('"', '""') + '")'
        return "#N/A"

    def _first_cell(self, args, sheet):
        """(title, top, left, reference match) of a call's sole plain-reference argument."""
        ref = _PLAIN_REF.match(args[0]) if len(args) == 1 else None
        if ref is None:
            return None
        parsed = _parse_a1(ref.group("body"))
        title = self.sheet_title(_unquote(ref.group("sheet")), sheet)
        if parsed is None or title is None:
            return None
        box = parsed[0]
        return title, box.top, box.left, ref

    def _isformula(self, args, sheet):
        found = self._first_cell(args, sheet)
        if found is None:
            return None
        title, top, left, _ = found
        return "TRUE" if (title.upper(), top, left) in self._texts else "FALSE"

    def _formulatext(self, args, sheet):
        found = self._first_cell(args, sheet)
        if found is None:
            return None
        title, top, left, _ = found
        text = self._texts.get((title.upper(), top, left))
        if text is None:
            return "NA()"
        return '"' + _shown(text).replace('"', '""') + '"'

    def _cell(self, args, sheet):
        if not args or len(args) > 2:
            return None
        kind = self.static_value(args[0], sheet)
        if kind is _UNKNOWN:
            return None
        if _is_error(kind):
            return str(kind)
        if not isinstance(kind, str) or kind.lower() not in _CELL_INFO:
            return "#VALUE!"
        if len(args) != 2:
            return None
        found = self._first_cell(args[1:], sheet)
        if found is None:
            return None
        title, top, left, ref = found
        kind = kind.lower()
        first = (ref.group("sheet") + "!" if ref.group("sheet") else "") \
            + f"{column_letters(left)}{top}"
        if kind == "address" and title.upper() == sheet.upper():
            return f'"${column_letters(left)}${top}"'
        if kind == "col":
            return str(left)
        if kind == "row":
            return str(top)
        if kind == "contents":
            return first
        if kind == "type":
            return f'IF(ISBLANK({first}),"b",IF(ISTEXT({first}),"l","v"))'
        return None

    @staticmethod
    def _first(args, name):
        ref = _PLAIN_REF.match(args[0]) if len(args) == 1 else None
        parsed = _parse_a1(ref.group("body")) if ref else None
        if parsed is None or parsed[1] or parsed[2]:
            return None  # whole rows and columns: whole_refs answers those
        box = parsed[0]
        if (box.top, box.left) == (box.bottom, box.right):
            return None
        return str(box.top if name == "ROW" else box.left)


@functools.lru_cache(maxsize=None)
def _call_of(name: str) -> re.Pattern:
    return re.compile(rf"(?<![\w.!\x00])(?:_xlfn\.)?{name}\s*\(", re.IGNORECASE)


def _rewrite_calls(formula: str, name: str, answer, scalar_only: bool = False) -> str:
    """Each call of `name` (any _xlfn. prefix, any case) replaced by answer(argument texts), the
    innermost first; a call answered None stays."""
    if name.upper() not in formula.upper():  # most formulas: no regex at all
        return formula
    call = _call_of(name)
    starts = [m.start() for m in call.finditer(mask_quoted(formula))]
    for start in reversed(starts):
        masked = mask_quoted(formula)
        m = call.match(masked, start)
        if m is None:
            continue
        spans = call_arguments(masked, m.end() - 1)
        if not spans:
            continue
        if scalar_only and not scalar_place(masked, start):
            continue
        args = [formula[a:b] for a, b in spans]
        if args == [""]:
            args = []
        new = answer(args)
        if new is not None:
            formula = formula[:start] + new + formula[spans[-1][1] + 1:]
    return formula


def _here(expr: str, row: int, col: int) -> str:
    """ROW() and COLUMN() of the formula's own cell as the numbers they are."""
    masked = mask_quoted(expr)
    for m in reversed(list(_HERE.finditer(masked))):
        expr = expr[:m.start()] + str(row if m.group(1).upper() == "ROW" else col) + expr[m.end():]
    return expr


def _parse_a1(body: str):
    """(box, whole rows, whole columns) of an A1 reference text without sheet, or None."""
    m = _A1_COLS.match(body)
    if m:
        left, right = sorted(_column(x) for x in m.groups())
        if right > MAX_COL:
            return None
        return _Box(None, 1, left, MAX_ROW, right), False, True
    m = _A1_ROWS.match(body)
    if m:
        top, bottom = sorted(int(x) for x in m.groups())
        if top < 1 or bottom > MAX_ROW:
            return None
        return _Box(None, top, 1, bottom, MAX_COL), True, False
    ends = body.split(":")
    if len(ends) > 2:
        return None
    cells = [c for c in (_A1_CELL.match(e) for e in ends) if c is not None]
    if len(cells) != len(ends):
        return None
    rows = [int(c.group(2)) for c in cells]
    cols = [_column(c.group(1)) for c in cells]
    if min(rows) < 1 or max(rows) > MAX_ROW or max(cols) > MAX_COL:
        return None
    return _Box(None, min(rows), min(cols), max(rows), max(cols)), False, False


def _parse_r1c1(body: str, row: int, col: int):
    ends = []
    for part in body.split(":"):
        m = _R1C1.match(part)
        if m is None or not part:
            return None
        r = _r1c1_index(m.group(2), row) if m.group(1) else None
        c = _r1c1_index(m.group(4), col) if m.group(3) else None
        ends.append((r, c))
    if len(ends) > 2:
        return None
    rows = [r for r, _ in ends if r is not None]  # the rows and columns given
    cols = [c for _, c in ends if c is not None]
    if not cols and len(rows) == len(ends):  # R2 or R2:R4
        top, bottom = min(rows), max(rows)
        ok = 1 <= top and bottom <= MAX_ROW
        return (_Box(None, top, 1, bottom, MAX_COL), True, False) if ok else None
    if not rows and len(cols) == len(ends):  # C3 or C3:C5
        left, right = min(cols), max(cols)
        ok = 1 <= left and right <= MAX_COL
        return (_Box(None, 1, left, MAX_ROW, right), False, True) if ok else None
    if len(rows) != len(ends) or len(cols) != len(ends):
        return None
    box = _Box(None, min(rows), min(cols), max(rows), max(cols))
    if box.top < 1 or box.left < 1 or box.bottom > MAX_ROW or box.right > MAX_COL:
        return None
    return box, False, False


def _r1c1_index(group: str | None, here: int) -> int:
    if group is None:
        return here            # "R" alone: this row
    if group.startswith("["):
        return here + int(group[1:-1])
    return int(group)


def _column(letters: str) -> int:
    return column_index(letters.lstrip("$").upper())


def _unquote(sheet: str | None) -> str | None:
    if sheet and sheet.startswith("'"):
        return sheet[1:-1].replace("''", "'")
    return sheet


def _is_error(value) -> bool:
    from formulas.functions import XlError as FormulasError

    return isinstance(value, FormulasError)


def _text(value) -> str:
    """A value as INDIRECT reads it as text."""
    if value is sh.EMPTY or value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, np.number)):
        v = float(value)
        return str(int(v)) if v.is_integer() else repr(v)
    return str(value)


def _shown(text: str) -> str:
    """A formula as Excel shows it: the file's _xlfn./_xlws./_xlpm. prefixes dropped."""
    masked = mask_quoted(text)
    for m in reversed(list(_PREFIXES.finditer(masked))):
        text = text[:m.start()] + text[m.end():]
    return text
