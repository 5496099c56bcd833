"""Whole-column and whole-row references (`C:C`, `$A:$C`, `5:5`) clipped to the used range.

`formulas` expands `A:A` to a million cells (minutes per small workbook). Cells beyond a sheet's
used range are blank, which almost every function ignores, so the text handed to `formulas` gets
`A1:A<last used row>` instead. Where the blank million does matter the call is rewritten so the
result stays Excel's:
- `ROWS(A:A)` is 1048576 and `COLUMNS(5:5)` 16384, whatever is filled; in a plain cell
  `ROW(A:A)` is 1 and `COLUMN(5:5)` 1 (the first of their million numbers);
- `COUNTBLANK`, `COUNTIF` and `COUNTIFS` also count the blank cells beyond the used range: they
  get `+ K*<the same test on one blank cell beyond it>`;
- `INDEX(A:A, n)` beyond the used range is a blank cell (0), not #REF!;
- in a plain (not array) formula a whole column where a single value is expected (the whole
  formula, or an argument of a scalar function such as `FLOOR(A:A, 2)`) is Excel's implicit
  intersection: the cell of that column in the formula's own row (`#VALUE!` if there is none);
  `intersect_ranges` does the same for ranges of cells (`=$B$9:$F$9`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..references import CELL, COLUMN, MAX_COL, MAX_ROW, column_index, column_letters, split_coordinate, unquote_sheet
from .facts import BookFacts
from .rewrite import call_arguments, mask_quoted

# A whole-column or whole-row reference, with an optional sheet, on quote-masked text.
WHOLE = re.compile(
    r"(?<![\w.$:!\x00'\"])(?:(?P<sheet>'\x00*'|[A-Za-z_][\w.]*)!)?"
    rf"(?:(?P<c1>{COLUMN}):(?P<c2>{COLUMN})|(?P<r1>\$?\d+):(?P<r2>\$?\d+))"
    r"(?![\w.(!:$\x00])")
# What any whole column or row has, found cheaply on the formula as written: letters after ":"
# that no row number follows (A:C, $B:$B), or digits on both sides of ":" (3:5). Most formulas'
# ranges (A1:B5) have neither, and skip the full search. Written to start with ":" (the digit before
# it a lookbehind): the regex engine then jumps from colon to colon instead of trying every
# position, seven times quicker on a workbook's formulas joined (prepare.what_they_read).
_MAYBE_WHOLE = re.compile(rf":(?:{COLUMN}(?![\w$])|(?<=\d:)\$?\d)")
# A range of cells (A1:B5), with an optional sheet, on quote-masked text.
_RANGE = re.compile(
    r"(?<![\w.$:!\x00'\"])(?:(?P<sheet>'\x00*'|[A-Za-z_][\w.]*)!)?"
    rf"(?P<a>{CELL}):(?P<b>{CELL})(?![\w.(!:$\x00])")
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")

# Excel functions whose every argument is a single value: a whole column there intersects.
SCALAR_FUNCTIONS = frozenset("""
ABS ACOS ACOSH ACOT ACOTH ASIN ASINH ATAN ATAN2 ATANH COS COSH COT COTH CSC CSCH SEC SECH SIN SINH TAN TANH
DEGREES RADIANS EXP LN LOG LOG10 SQRT SQRTPI POWER MOD QUOTIENT SIGN INT TRUNC ROUND ROUNDUP
ROUNDDOWN MROUND EVEN ODD FACT FACTDOUBLE COMBIN COMBINA PERMUT PERMUTATIONA FLOOR FLOOR.MATH
FLOOR.PRECISE CEILING CEILING.MATH CEILING.PRECISE ISO.CEILING BASE DECIMAL ARABIC ROMAN
GAMMA GAMMALN GAMMALN.PRECISE GAMMA.DIST GAMMA.INV GAMMADIST GAMMAINV BETA.DIST BETA.INV BETADIST
BETAINV BINOM.DIST BINOM.DIST.RANGE BINOM.INV BINOMDIST CRITBINOM NEGBINOM.DIST NEGBINOMDIST
LOGNORM.DIST LOGNORM.INV LOGNORMDIST LOGINV POISSON POISSON.DIST NORM.DIST NORM.INV NORM.S.DIST
NORM.S.INV NORMDIST NORMINV NORMSDIST NORMSINV EXPON.DIST EXPONDIST WEIBULL WEIBULL.DIST
CHISQ.DIST CHISQ.DIST.RT CHISQ.INV CHISQ.INV.RT CHIDIST CHIINV F.DIST F.DIST.RT F.INV F.INV.RT
FDIST FINV T.DIST T.DIST.2T T.DIST.RT T.INV T.INV.2T TDIST TINV HYPGEOM.DIST HYPGEOMDIST
FISHER FISHERINV PHI GAUSS STANDARDIZE CONFIDENCE CONFIDENCE.NORM CONFIDENCE.T ERF ERF.PRECISE
ERFC ERFC.PRECISE LEN LEFT RIGHT MID UPPER LOWER PROPER TRIM CLEAN VALUE CHAR CODE UNICHAR
UNICODE REPT EXACT FIXED DOLLAR YEAR MONTH DAY HOUR MINUTE SECOND WEEKDAY WEEKNUM ISOWEEKNUM
DATE TIME DATEVALUE TIMEVALUE EDATE EOMONTH DAYS DAYS360 YEARFRAC ISBLANK ISNUMBER ISTEXT
ISNONTEXT ISLOGICAL ISERR ISERROR ISNA ISEVEN ISODD NOT CONCATENATE TEXT SUBSTITUTE REPLACE FIND
SEARCH NUMBERVALUE
""".split())


@dataclass(frozen=True)
class UsedRange:
    """Where a sheet's filled cells end, column by column and row by row."""
    last_row_of: dict[int, int]   # column index -> last filled row
    last_col_of: dict[int, int]   # row index -> last filled column

    def last_row(self, first_col: int, last_col: int) -> int:
        rows = [r for c, r in self.last_row_of.items() if first_col <= c <= last_col]
        return max(rows, default=1)

    def last_col(self, first_row: int, last_row: int) -> int:
        cols = [c for r, c in self.last_col_of.items() if first_row <= r <= last_row]
        return max(cols, default=1)


def used_ranges(facts: BookFacts) -> dict[str, UsedRange]:
    """The filled extent of every sheet (upper-case names), from cells holding anything.

    Kept per column and per row, so one far-off cell (a note in XFD1) does not widen every
    whole-row reference of the sheet."""
    by_sheet: dict[str, tuple[dict[int, int], dict[int, int]]] = {s: ({}, {}) for s in facts.sheets}

    def fill(sheet: str, coord: str) -> None:
        by_col, by_row = by_sheet[sheet]
        r, c = split_coordinate(coord)
        if by_col.get(c, 0) < r:
            by_col[c] = r
        if by_row.get(r, 0) < c:
            by_row[r] = c
    for sheet, coord in facts.formulas:
        fill(sheet, coord)
    for sheet, values in facts.constants.items():
        for coord in values:
            fill(sheet, coord)
    return {sheet.upper(): UsedRange(*found) for sheet, found in by_sheet.items()}


@dataclass
class _Whole:
    start: int
    end: int
    sheet_text: str            # "'My Sheet'!" or "" as written
    sheet_key: str             # upper-case sheet name the reference points at
    is_column: bool
    first: int                 # first column (or row) index
    last: int
    first_text: str            # the two ends as written (with their $)
    last_text: str


def may_hold_whole_refs(formula: str) -> bool:
    """Whether a formula may hold a whole column or row (when not, clip_whole_refs leaves it as
    it is): a cheap search, not the full one."""
    return ":" in formula and _MAYBE_WHOLE.search(formula) is not None


def clip_whole_refs(formula: str, sheet: str, row: int, col: int,
                    used: dict[str, UsedRange], array: bool = False) -> str:
    """`formula` (in cell row/col of `sheet`) with whole columns and rows clipped (see module)."""
    if not may_hold_whole_refs(formula):
        return formula
    masked = mask_quoted(formula)
    refs = [w for w in (_parse(m, formula, sheet) for m in WHOLE.finditer(masked)) if w]
    refs = [w for w in refs if w.sheet_key in used]
    if not refs:
        return formula
    calls = _enclosing_calls(masked)
    # One end for every whole column (row) of the formula, so ranges that must be the same
    # size (SUMIFS(B:B,A:A,..), XLOOKUP(x,A:A,B:B)) stay so even when one column is longer.
    align: dict[bool, int] = {}
    for w in refs:
        align[w.is_column] = max(align.get(w.is_column, 1), _end(w, used[w.sheet_key]))
    ends = {w.start: align[w.is_column] for w in refs}
    edits: list[tuple[int, int, str]] = []
    handled: set[int] = set()
    for w in refs:
        if w.start in handled:
            continue
        call = calls.get(w.start)
        name = call[0] if call else None
        end = ends[w.start]
        if call and _is_sole_argument(masked, call, w) and name in ("ROWS", "COLUMNS"):
            whole_count = MAX_ROW if w.is_column else MAX_COL
            span = w.last - w.first + 1
            value = whole_count if (name == "ROWS") == w.is_column else span
            edits.append((call[1], call[2], str(value)))
        elif call and name in ("ROW", "COLUMN") and _is_sole_argument(masked, call, w) \
                and not array and scalar_place(masked, call[1]):
            # a plain cell shows the first of the numbers: ROW(A:A) is 1, COLUMN(C:E) 3
            first = w.first if (name == "ROW") != w.is_column else 1
            edits.append((call[1], call[2], str(first)))
        elif call and name in ("COUNTBLANK", "COUNTIF", "COUNTIFS") and \
                (edit := _count_call(masked, formula, call, refs, ends, handled)):
            edits.append(edit)
            continue
        elif call and name == "INDEX" and _argument_index(masked, call, w) == 0:
            edits.extend(_index_call(masked, call, w, end))
        elif call and name in ("XLOOKUP", "XMATCH"):
            # a blank looked up finds the first blank cell: keep one past the filled part
            edits.append((w.start, w.end, _clipped(w, end, extra=1)))
        elif not array and scalar_place(masked, w.start):
            edits.append((w.start, w.end, _intersection(w, row, col)))
        else:
            edits.append((w.start, w.end, _clipped(w, end)))
        handled.add(w.start)
    text = formula
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def intersect_ranges(formula: str, row: int, col: int) -> str:
    """A plain formula's multi-cell ranges where a single value is expected (the whole formula,
    or an argument of a scalar function: `=$B$2:$F$2`, `FLOOR(A1, $B$9:$F$9)`) become Excel's
    implicit intersection with the formula's row or column (#VALUE! if there is none)."""
    if ":" not in formula:
        return formula
    masked = mask_quoted(formula)
    edits = []
    for m in _RANGE.finditer(masked):
        if not scalar_place(masked, m.start()):
            continue
        left, top = _cell_index(m.group("a"))
        right, bottom = _cell_index(m.group("b"))
        left, right, top, bottom = min(left, right), max(left, right), min(top, bottom), max(top, bottom)
        at_col = left if left == right else col
        at_row = top if top == bottom else row
        if not (left <= at_col <= right and top <= at_row <= bottom):
            edits.append((m.start(), m.end(), "#VALUE!"))
            continue
        sheet_text = formula[m.start("sheet"):m.end("sheet")] + "!" if m.group("sheet") else ""
        edits.append((m.start(), m.end(), f"{sheet_text}{column_letters(at_col)}{at_row}"))
    for start, end, new in sorted(edits, reverse=True):
        formula = formula[:start] + new + formula[end:]
    return formula


def _cell_index(ref: str) -> tuple[int, int]:
    letters = ref.replace("$", "").rstrip("0123456789")
    return column_index(letters.upper()), int(ref.replace("$", "")[len(letters):])


def clip_name_target(value: str, used: dict[str, UsedRange]) -> str:
    """A defined name's target with its whole columns/rows clipped (no cell to intersect with)."""
    masked = mask_quoted(value)
    edits = []
    for m in WHOLE.finditer(masked):
        w = _parse(m, value, "")
        if w and w.sheet_key in used:
            edits.append((w.start, w.end, _clipped(w, _end(w, used[w.sheet_key]))))
    for start, end, new in sorted(edits, reverse=True):
        value = value[:start] + new + value[end:]
    return value


def _parse(m: re.Match, formula: str, sheet: str) -> _Whole | None:
    sheet_text = formula[m.start("sheet"):m.end("sheet")] if m.group("sheet") else ""
    name = unquote_sheet(sheet_text)
    if m.group("c1"):
        a, b = m.group("c1"), m.group("c2")
        try:
            first, last = (column_index(x.lstrip("$").upper()) for x in (a, b))
        except ValueError:
            return None
        is_column = True
    else:
        a, b = m.group("r1"), m.group("r2")
        first, last = int(a.lstrip("$")), int(b.lstrip("$"))
        if not (1 <= first <= MAX_ROW and 1 <= last <= MAX_ROW):
            return None
        is_column = False
    if max(first, last) > (MAX_COL if is_column else MAX_ROW):
        return None
    first, last = min(first, last), max(first, last)
    prefix = sheet_text + "!" if sheet_text else ""
    return _Whole(m.start(), m.end(), prefix, (name or sheet).upper(), is_column, first, last,
                  a, b)


def _end(w: _Whole, extent: UsedRange) -> int:
    """The last filled row (of a column reference) or column (of a row reference) inside it."""
    if w.is_column:
        return extent.last_row(w.first, w.last)
    return extent.last_col(w.first, w.last)


def _clipped(w: _Whole, end: int, extra: int = 0) -> str:
    if w.is_column:
        last_row = min(end + extra, MAX_ROW)
        return (f"{w.sheet_text}{column_letters(w.first)}1:"
                f"{column_letters(w.last)}{last_row}")
    last_col = min(end + extra, MAX_COL)
    return f"{w.sheet_text}A{w.first}:{column_letters(last_col)}{w.last}"


def _beyond(w: _Whole, end: int) -> tuple[str, int]:
    """One blank cell past the filled part of the reference, and how many blank cells lie there."""
    if w.is_column:
        return (f"{w.sheet_text}{column_letters(w.first)}{end + 1}",
                (MAX_ROW - end) * (w.last - w.first + 1))
    return (f"{w.sheet_text}{column_letters(end + 1)}{w.first}",
            (MAX_COL - end) * (w.last - w.first + 1))


def _intersection(w: _Whole, row: int, col: int) -> str:
    """Excel's implicit intersection of a whole column (row) with the formula's row (column)."""
    if w.is_column:
        if w.first == w.last or w.first <= col <= w.last:
            return f"{w.sheet_text}{column_letters(w.first if w.first == w.last else col)}{row}"
    elif w.first == w.last or w.first <= row <= w.last:
        return f"{w.sheet_text}{column_letters(col)}{w.first if w.first == w.last else row}"
    return "#VALUE!"


def _count_call(masked, formula, call, refs, ends, handled):
    """COUNTBLANK/COUNTIF/COUNTIFS over whole columns: count the blank cells beyond too."""
    name, start, end, open_at = call
    args = call_arguments(masked, open_at)
    range_args = [0] if name != "COUNTIFS" else list(range(0, len(args), 2))
    by_start = {w.start: w for w in refs}
    wholes = []
    for i in range_args:
        if i >= len(args):
            return None
        a, b = args[i]
        w = by_start.get(a + _leading_spaces(masked, a, b))
        if w is None or w.end != b - _trailing_spaces(masked, a, b):
            return None
        wholes.append(w)
    if any(start < r.start < end and r not in wholes for r in refs):
        return None  # another whole reference inside the criteria: clip them one by one
    beyond = [_beyond(w, ends[w.start]) for w in wholes]
    if len({k for _, k in beyond}) != 1 or any(w.is_column != wholes[0].is_column for w in wholes):
        return None  # ranges of different sizes: leave it to the function's own error
    count = beyond[0][1]
    inner, blank = formula[open_at + 1:end - 1], formula[open_at + 1:end - 1]
    base = open_at + 1
    for w, (cell, _) in sorted(zip(wholes, beyond), key=lambda t: -t[0].start):
        inner = inner[:w.start - base] + _clipped(w, ends[w.start]) + inner[w.end - base:]
        blank = blank[:w.start - base] + cell + blank[w.end - base:]
        handled.add(w.start)
    func = formula[start:open_at]
    if count <= 0:
        return (start, end, f"{func}({inner})")
    if name == "COUNTBLANK":
        return (start, end, f"({func}({inner})+{count})")
    return (start, end, f"({func}({inner})+{count}*{func}({blank}))")


def _index_call(masked, call, w: _Whole, end: int):
    """INDEX(A:A, n): over the used range plus one blank row, n beyond it pointing at that row
    (made by insertions only, so references inside n are clipped on their own)."""
    args = call_arguments(masked, call[3])
    edits = [(w.start, w.end, _clipped(w, end, extra=1))]
    position = 1 if w.is_column or (w.first == w.last and len(args) == 2) else 2
    limit = end + 1
    if position < len(args) and masked[slice(*args[position])].strip() \
            and limit <= (MAX_ROW if w.is_column else MAX_COL):
        a, b = args[position]
        edits += [(a, a, "MIN("), (b, b, f",{limit})")]
    return edits


def _leading_spaces(masked, a, b):
    return len(masked[a:b]) - len(masked[a:b].lstrip())


def _trailing_spaces(masked, a, b):
    return len(masked[a:b]) - len(masked[a:b].rstrip())


def _enclosing_calls(masked: str) -> dict[int, tuple[str, int, int, int]]:
    """For each whole reference, the innermost function call around it (plain parentheses
    skipped): (NAME without _xlfn., start of the name, end of the call, index of its '(')."""
    stack: list[tuple[str | None, int, int]] = []
    spans = []
    for i, ch in enumerate(masked):
        if ch == "(":
            name, start = _name_before(masked, i)
            name = name.upper() if name and not _is_ref_char_before(masked, start) else None
            if name:
                name = name.replace("_XLFN.", "").replace("_XLWS.", "")
            stack.append((name, start if name else i, i))
        elif ch == ")" and stack:
            name, start, open_at = stack.pop()
            if name:
                spans.append((name, start, i + 1, open_at))
    result: dict[int, tuple[str, int, int, int]] = {}
    for m in WHOLE.finditer(masked):
        inside = [s for s in spans if s[3] < m.start() < s[2]]
        if inside:
            result[m.start()] = max(inside, key=lambda s: s[3])
    return result


_PARENTHESES = re.compile(r"[()]")


def scalar_place(masked: str, pos: int) -> bool:
    """Whether a range at `pos` sits where a plain formula wants one value: outside any call,
    or inside scalar functions only (`FLOOR(A:A,2)`, not `SUM(ROUND(A1:A3,2))`, which an
    Excel 365 user writes for its array)."""
    depth_names = []
    for m in _PARENTHESES.finditer(masked, 0, pos):
        i = m.start()
        if masked[i] == "(":
            name, start = _name_before(masked, i)
            name = name.upper() if name and not _is_ref_char_before(masked, start) else None
            depth_names.append(name.replace("_XLFN.", "").replace("_XLWS.", "") if name else None)
        elif depth_names:
            depth_names.pop()
    return all(n is None or n in SCALAR_FUNCTIONS for n in depth_names)


def _name_before(masked: str, i: int) -> tuple[str | None, int]:
    """The function name that ends just before masked[i] (spaces allowed between), and where it
    starts: what the regex `[A-Za-z_][\\w.]*\\s*$` finds in masked[:i], read backwards from i (the
    regex searched the whole prefix again at every parenthesis)."""
    j = i
    while j > 0 and masked[j - 1].isspace():
        j -= 1
    end = j
    while j > 0 and (masked[j - 1].isalnum() or masked[j - 1] in "_."):
        j -= 1
    for start in range(j, end):
        if masked[start] in _NAME_START:
            return masked[start:end], start
    return None, i


def _is_ref_char_before(masked: str, i: int) -> bool:
    return i > 0 and masked[i - 1] in "!$"


def _argument_index(masked: str, call, w: _Whole) -> int | None:
    for i, (a, b) in enumerate(call_arguments(masked, call[3])):
        if a <= w.start and w.end <= b:
            return i
    return None


def _is_sole_argument(masked: str, call, w: _Whole) -> bool:
    args = call_arguments(masked, call[3])
    return len(args) == 1 and masked[args[0][0]:args[0][1]].strip() == masked[w.start:w.end]
