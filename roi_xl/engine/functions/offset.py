"""OFFSET(reference, rows, cols, [height], [width]), which `formulas` 1.3.4 lacks.

OFFSET returns a reference that is only known when the formula runs, while `formulas` fixes each
formula's references when it builds the graph. So, before loading:
- an OFFSET whose offsets and sizes are typed numbers (=SUM(OFFSET(A1,1,1,2,2))) is replaced by
  the range it means (B2:C3; #REF! off the sheet), a plain reference with ordinary dependencies;
- any other OFFSET (=SUM(OFFSET(B2,0,0,COUNT(B:B),1))) becomes a call of _ROIXL_OFFSET with the
  reference's position as numbers; at evaluation it reads the constant cells of the workbook being
  recalculated (set by the engine for each evaluation). A target cell holding a formula is not
  readable that way and gives #VALUE! (a documented limitation: OFFSET over computed cells).
Excel's rules: rows/cols/height/width are truncated; height/width default to the reference's and
must be at least 1 (else #REF!); a result off the sheet is #REF!.
"""
from __future__ import annotations

import contextvars
import math
import re

import numpy as np
import schedula as sh
from formulas.functions import Array, Error, wrap_func
from openpyxl.utils.cell import get_column_letter, range_boundaries

from ._args import VALUE, Fail, to_number

REF = Error.errors["#REF!"]
MAX_ROW, MAX_COL = 1_048_576, 16_384

# (sheet, row, col) -> constant value of the workbook being evaluated; set by the engine.
CELL_VALUES: contextvars.ContextVar = contextvars.ContextVar("roi_xl_offset_cells", default=None)

_MASKED = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'')
_CALL = re.compile(r"(?<![\w.!])(?:_xlfn\.)?OFFSET\s*\(", re.IGNORECASE)
_REFERENCE = re.compile(
    r"^(?:(?P<sheet>'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?"
    r"(?P<a>\$?[A-Za-z]{1,3}\$?\d+)(?::(?P<b>\$?[A-Za-z]{1,3}\$?\d+))?$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$")


def _split_arguments(text: str, start: int) -> tuple[list[tuple[int, int]], int] | None:
    """Top-level argument spans of the call whose '(' is just before `start`, and the index of
    its ')'; quotes are masked so commas inside strings and sheet names do not count."""
    masked = _MASKED.sub(lambda m: "\x00" * len(m.group(0)), text)
    depth, spans, begin = 0, [], start
    for i in range(start, len(masked)):
        ch = masked[i]
        if ch in "({":
            depth += 1
        elif ch in ")}":
            if depth == 0:
                spans.append((begin, i))
                return spans, i
            depth -= 1
        elif ch == "," and depth == 0:
            spans.append((begin, i))
            begin = i + 1
    return None


def _target(top, left, height, width, rows, cols, h, w):
    """The result's (top, left, bottom, right), or None when it is off the sheet."""
    height = height if h is None else h
    width = width if w is None else w
    if height < 1 or width < 1:
        return None
    t, le = top + rows, left + cols
    b, r = t + height - 1, le + width - 1
    if t < 1 or le < 1 or b > MAX_ROW or r > MAX_COL:
        return None
    return t, le, b, r


def rewrite_offsets(formula: str, sheet: str) -> str:
    """The formula with each OFFSET on a plain A1 reference rewritten (see the module's doc)."""
    out, pos = [], 0
    for m in _CALL.finditer(formula):
        if m.start() < pos:
            continue  # inside an OFFSET already rewritten
        found = _split_arguments(formula, m.end())
        if found is None:
            continue
        spans, close = found
        args = [formula[a:b].strip() for a, b in spans]
        ref = _REFERENCE.match(args[0]) if 3 <= len(args) <= 5 else None
        if ref is None:
            continue
        args = [rewrite_offsets(a, sheet) for a in args]  # OFFSET inside the offsets
        c1, r1, c2, r2 = range_boundaries(ref.group("a") + (":" + ref.group("b") if ref.group("b") else ""))
        ref_sheet = ref.group("sheet") or _quoted(sheet)
        rest = args[1:] + [""] * (5 - len(args))
        if all(_NUMBER.match(a) or a == "" for a in rest):
            nums = [math.trunc(float(a)) if a else None for a in rest]
            box = _target(r1, c1, r2 - r1 + 1, c2 - c1 + 1, *nums)
            text = "#REF!" if box is None else (
                f"{ref_sheet}!{get_column_letter(box[1])}{box[0]}"
                + (f":{get_column_letter(box[3])}{box[2]}" if box[:2] != box[2:] else ""))
        else:
            name = ref_sheet[1:-1].replace("''", "'") if ref_sheet.startswith("'") else ref_sheet
            sizes = ",".join(a if a else '""' for a in rest)
            text = (f'_ROIXL_OFFSET("{name.replace(chr(34), chr(34) * 2)}",{r1},{c1},'
                    f"{r2 - r1 + 1},{c2 - c1 + 1},{sizes})")
        out.append(formula[pos:m.start()] + text)
        pos = close + 1
    return "".join(out) + formula[pos:] if out else formula


def _quoted(sheet: str) -> str:
    if re.fullmatch(r"[A-Za-z_][\w.]*", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def _size(value):
    v = np.asarray(value, object).ravel()[0] if isinstance(value, np.ndarray) else value
    if v is sh.EMPTY or v == "":
        return None
    return math.trunc(to_number(v))


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
        return out.view(Array)
    except Fail as fail:
        return np.asarray([[fail.err]], object).view(Array)


REPLACEMENTS = {"_ROIXL_OFFSET": wrap_func(xoffset)}
