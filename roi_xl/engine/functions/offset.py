"""OFFSET(reference, rows, cols, [height], [width]), which `formulas` 1.3.4 lacks.

OFFSET returns a reference that is only known when the formula runs, while `formulas` fixes each
formula's references when it builds the graph. So, before loading:
- an OFFSET whose offsets and sizes are typed numbers (=SUM(OFFSET(A1,1,1,2,2))) is replaced by
  the range it means (B2:C3; #REF! off the sheet), a plain reference with ordinary dependencies;
- any other OFFSET (=SUM(OFFSET(B2,0,0,COUNT(B:B),1))) becomes a call of _ROIXL_OFFSET with the
  reference's position as numbers; at evaluation it reads the constant cells of the workbook being
  recalculated (set by the engine for each evaluation). A target cell holding a formula is not
  readable that way and gives #VALUE! (a documented limitation: OFFSET over computed cells).
Excel's rules (and the values it cached in the conformance workbook ROW_COLUM.xlsx): rows/cols
are truncated; height/width default to the reference's; a height or width below 0 is #VALUE!, 0
#REF!, between 0 and 1 counts as 1, above 1 is truncated; a result off the sheet is #REF!.
The result is a reference (formulas' Ranges), so ROW, COLUMN, ROWS and COLUMNS read its place.
"""
from __future__ import annotations

import contextvars
import math
import re

import numpy as np
import schedula as sh
from formulas.functions import Array, Error, wrap_func
from formulas.ranges import Ranges

from ...references import (
    CELL,
    MAX_COL,
    MAX_ROW,
    SHEET,
    cell_box,
    column_index,
    column_letters,
    quote_sheet,
    unquote_sheet,
)
from ._args import VALUE, Fail, to_number

REF = Error.errors["#REF!"]

# The engine function an OFFSET with computed offsets becomes; it reads constant cells as it runs.
CALL_NAME = "_ROIXL_OFFSET"
# (sheet, row, col) -> constant value of the workbook being evaluated; set by the engine.
CELL_VALUES: contextvars.ContextVar = contextvars.ContextVar("roi_xl_offset_cells", default=None)

_MASKED = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'')
_CALL = re.compile(r"(?<![\w.!])(?:_xlfn\.)?OFFSET\s*\(", re.IGNORECASE)
_REFERENCE = re.compile(rf"^(?:(?P<sheet>{SHEET})!)?(?P<a>{CELL})(?::(?P<b>{CELL}))?$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$")


class _NegativeSize(Exception):
    pass


def _extent(size: float | None, default: int) -> int:
    if size is None:
        return default
    if size < 0:
        raise _NegativeSize
    return 1 if 0 < size < 1 else math.trunc(size)


def _target(top, left, height, width, rows, cols, h, w):
    """The result's (top, left, bottom, right), None when it is off the sheet or empty;
    _NegativeSize for a negative height or width."""
    height, width = _extent(h, height), _extent(w, width)
    if height < 1 or width < 1:
        return None
    t, le = top + math.trunc(rows), left + math.trunc(cols)
    b, r = t + height - 1, le + width - 1
    if t < 1 or le < 1 or b > MAX_ROW or r > MAX_COL:
        return None
    return t, le, b, r


def rewrite_offsets(formula: str, sheet: str) -> str:
    """The formula with each OFFSET on a plain A1 reference rewritten (see the module's doc)."""
    from .. import rewrite  # not at import time: rewrite imports this package (OMITTED_DEFAULTS)

    out, pos = [], 0
    for m in _CALL.finditer(formula):
        if m.start() < pos:
            continue  # inside an OFFSET already rewritten
        spans = rewrite.call_arguments(rewrite.mask_quoted(formula), m.end() - 1)
        if not spans:
            continue
        close = spans[-1][1]
        args = [formula[a:b].strip() for a, b in spans]
        ref = _REFERENCE.match(args[0]) if 3 <= len(args) <= 5 else None
        if ref is None:
            continue
        args = [rewrite_offsets(a, sheet) for a in args]  # OFFSET inside the offsets
        c1, r1, c2, r2 = cell_box(ref.group("a") + (":" + ref.group("b") if ref.group("b") else ""))
        ref_sheet = ref.group("sheet") or _quoted(sheet)
        rest = args[1:] + [""] * (5 - len(args))
        if all(_NUMBER.match(a) or a == "" for a in rest):
            nums = [float(a) if a else None for a in rest]
            try:
                box = _target(r1, c1, r2 - r1 + 1, c2 - c1 + 1,
                              nums[0] or 0, nums[1] or 0, nums[2], nums[3])
            except _NegativeSize:
                box = "#VALUE!"
            text = box if isinstance(box, str) else "#REF!" if box is None else (
                f"{ref_sheet}!{column_letters(box[1])}{box[0]}"
                + (f":{column_letters(box[3])}{box[2]}" if box[:2] != box[2:] else ""))
        else:
            name = unquote_sheet(ref_sheet)
            sizes = ",".join(a if a else '""' for a in rest)
            text = (f'{CALL_NAME}("{name.replace(chr(34), chr(34) * 2)}",{r1},{c1},'
                    f"{r2 - r1 + 1},{c2 - c1 + 1},{sizes})")
        out.append(formula[pos:m.start()] + text)
        pos = close + 1
    return join_references("".join(out) + formula[pos:] if out else formula, sheet)


# One end of a range operator: a cell reference with its sheet (as the OFFSET rewrite writes it),
# or INDIRECT of a typed A1 reference. `formulas` misreads "S!B2:S!B6" (it gave B2 and B6 alone)
# and the SUBTOTAL rewrite needs the rows of INDIRECT("B2"):INDIRECT("B6") before loading. The
# left end may also be a cell of the formula's own sheet (A1:OFFSET(A1,4,0) became "A1:S!A5").
_END = (r"(?:(?:(?P<{s}>" + SHEET + r")!){o}\$?(?P<{c}>[A-Za-z]{{1,3}})\$?(?P<{r}>\d+)"
        r"|INDIRECT\(\s*\"(?:(?P<{s}i>" + SHEET + r")!)?\$?(?P<{c}i>[A-Za-z]{{1,3}})"
        r"\$?(?P<{r}i>\d+)\"\s*\))")
_JOINED = re.compile(r"(?<![\w.!$:])" + _END.format(s="s1", c="c1", r="r1", o="?") + r"\s*:\s*"
                     + _END.format(s="s2", c="c2", r="r2", o="") + r"(?![\w.(!:$])", re.IGNORECASE)


def join_references(formula: str, sheet: str) -> str:
    """`S!B6:S!B2` and `INDIRECT("B2"):INDIRECT("B6")` as the one range they mean (`S!B2:B6`),
    when both ends are on one sheet; anything else is left for `formulas` to evaluate."""
    if ":" not in formula:
        return formula
    masked = _MASKED.sub(lambda m: "\x00" * len(m.group(0)) if m.group(0)[0] == '"' else m.group(0),
                         formula)
    here = _quoted(sheet)

    def end(m, i):
        if m.group(f"c{i}") is not None:
            return m.group(f"s{i}") or here, m.group(f"c{i}"), int(m.group(f"r{i}"))
        return m.group(f"s{i}i") or here, m.group(f"c{i}i"), int(m.group(f"r{i}i"))

    out, pos = [], 0
    for m in _JOINED.finditer(formula):
        if "\x00" in masked[m.start():m.start() + 1]:
            continue  # inside a string
        (s1, c1, r1), (s2, c2, r2) = end(m, 1), end(m, 2)
        if s1.upper() != s2.upper():
            continue
        left, right = sorted((column_index(c1.upper()), column_index(c2.upper())))
        top, bottom = sorted((r1, r2))
        out.append(formula[pos:m.start()]
                   + f"{s1}!{column_letters(left)}{top}:{column_letters(right)}{bottom}")
        pos = m.end()
    return "".join(out) + formula[pos:] if out else formula


def _quoted(sheet: str) -> str:
    if re.fullmatch(r"[A-Za-z_][\w.]*", sheet):
        return sheet
    return quote_sheet(sheet)


def _size(value):
    v = np.asarray(value, object).ravel()[0] if isinstance(value, np.ndarray) else value
    if v is sh.EMPTY or v == "":
        return None
    return to_number(v)


def xoffset(sheet, top, left, height, width, rows, cols, h="", w=""):
    try:
        box = _target(int(top), int(left), int(height), int(width),
                      _size(rows) or 0, _size(cols) or 0, _size(h), _size(w))
        if box is None:
            return np.asarray([[REF]], object).view(Array)
        cells = CELL_VALUES.get()
        if cells is None:
            return np.asarray([[VALUE]], object).view(Array)
        t, le, b, r = box
        out = np.empty((b - t + 1, r - le + 1), object)
        for i in range(t, b + 1):
            for j in range(le, r + 1):
                out[i - t, j - le] = cells(str(sheet), i, j)
        return Ranges().push(f"{column_letters(le)}{t}:{column_letters(r)}{b}", out.view(Array))
    except _NegativeSize:
        return np.asarray([[VALUE]], object).view(Array)
    except Fail as fail:
        return np.asarray([[fail.err]], object).view(Array)


REPLACEMENTS = {CALL_NAME: wrap_func(xoffset)}
