"""Excel cell references: column letters, cell coordinates, A1 ranges and R1C1 ends, sheet names in
formulas and the sheet's limits.

One definition for every module that reads or writes "B7" or "$A$1:C9". The functions behave as
openpyxl's of the same job (`openpyxl.utils.cell`), which the formulas engine also uses, so both
engines read a reference alike; they live here so that the plan's path never imports openpyxl
(importing any part of it loads the whole package: 0.16 s of a one-file recalculation).
"""
from __future__ import annotations

import functools
import re

MAX_ROW = 1_048_576   # Excel's last row
MAX_COL = 16_384      # Excel's last column, XFD
# The most values one array a formula builds may hold (SEQUENCE, MUNIT, MAKEARRAY, a column times a
# row): Excel is bounded only by the machine's memory (Microsoft, "Description of the limitations for
# working with arrays in Excel"), the engine by one worker's budget and time. 8,388,608 values (8 full
# columns) take about 300 MB as the engine holds them; SEQUENCE(1E9) took every byte the machine had
# and failed the workbook, SEQUENCE(10000)*SEQUENCE(1,10000) ran past the time limit. Past it the
# formula's cell is #NUM!, as SEQUENCE was beyond a sheet's 17 billion cells.
MAX_ARRAY_VALUES = 1 << 23
_MAX_LETTERS = 18_278  # ZZZ: the longest column name openpyxl (and so formulas) accepts

# openpyxl's RANGE_EXPR: "B7", "$A$1:C9", "A:C", "3:5" (each part optional, checked below).
_RANGE = re.compile(r"^\$?(?P<min_col>[A-Za-z]{1,3})?\$?(?P<min_row>\d+)?"
                    r"(?P<sep>:\$?(?P<max_col>[A-Za-z]{1,3})?\$?(?P<max_row>\d+)?)?$")


@functools.lru_cache(maxsize=None)
def column_index(letters: str) -> int:
    """1 for "A", 28 for "AB" (any letter case); ValueError past ZZZ or for anything else."""
    if not 0 < len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"'{letters}' is not a valid column name. Column names are from A to ZZZ")
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@functools.lru_cache(maxsize=None)
def column_letters(index: int) -> str:
    """"A" for 1, "AB" for 28; ValueError outside 1..18,278 (ZZZ)."""
    if not 1 <= index <= _MAX_LETTERS:
        raise ValueError(f"Invalid column index {index}")
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@functools.lru_cache(maxsize=1 << 16)  # a workbook's cells are read again and again: one string each
def coordinate(row: int, col: int) -> str:
    """"B7" for (7, 2)."""
    return f"{column_letters(col)}{row}"


@functools.lru_cache(maxsize=1 << 16)
def split_coordinate(coord: str) -> tuple[int, int]:
    """(row, column) of a cell coordinate as a file holds it, upper case without $: "B7" -> (7, 2)."""
    letters = coord.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(coord[len(letters):]), col


def range_boundaries(text: str) -> tuple[int | None, int | None, int | None, int | None]:
    """(min_col, min_row, max_col, max_row) of "B7", "$A$1:C9", "A:C" (rows None) or "3:5"
    (columns None), as openpyxl's range_boundaries; ValueError for anything else."""
    m = _RANGE.match(text)
    if not m:
        raise ValueError(f"{text} is not a valid coordinate or range")
    min_col, min_row, sep, max_col, max_row = m.group("min_col", "min_row", "sep", "max_col", "max_row")
    if sep:
        cols, rows = (min_col, max_col), (min_row, max_row)
        if not (all(cols + rows) or all(cols) and not any(rows) or all(rows) and not any(cols)):
            raise ValueError(f"{text} is not a valid coordinate or range")
    first_col = column_index(min_col) if min_col is not None else None
    first_row = int(min_row) if min_row is not None else None
    last_col = column_index(max_col) if max_col is not None else first_col
    last_row = int(max_row) if max_row is not None else first_row
    return first_col, first_row, last_col, last_row



def cell_box(text: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of a cell or a block of cells ("B7", "$A$1:C9");
    ValueError for a whole column or row ("A:C", "3:5") as for anything else."""
    box = range_boundaries(text)
    if box[0] is None or box[1] is None or box[2] is None or box[3] is None:
        raise ValueError(f"{text} is not a cell or a block of cells")
    return box[0], box[1], box[2], box[3]



# One end of an R1C1 reference: R3C7, R[1]C[-1], R (this row), C2 (a whole column)...
_R1C1 = re.compile(r"^(?:(R)(\[-?\d+\]|\d+)?)?(?:(C)(\[-?\d+\]|\d+)?)?$", re.IGNORECASE)


def r1c1_end(text: str, row: int, col: int) -> tuple[int | None, int | None] | None:
    """(row, column) that one end of an R1C1 reference names from the cell (row, col): R3C7 ->
    (3, 7), R[1]C[-1] -> (row + 1, col - 1), "R" alone this row; None for a part it leaves out
    (R2 names a row: (2, None)). None for a text that is not one."""
    m = _R1C1.match(text)
    if m is None or not text:
        return None
    return (_r1c1_index(m.group(2), row) if m.group(1) else None,
            _r1c1_index(m.group(4), col) if m.group(3) else None)


def _r1c1_index(group: str | None, here: int) -> int:
    if group is None:
        return here  # "R" alone: this row
    if group.startswith("["):
        return here + int(group[1:-1])
    return int(group)

# Pieces of the patterns that find references inside a formula's text; each module compiles its own
# pattern from them (anchored, named groups, lookarounds as its job needs).
COLUMN = r"\$?[A-Za-z]{1,3}"                    # A, $XFD
CELL = COLUMN + r"\$?\d+"                        # B7, $A$1
BLOCK = rf"{CELL}(?::{CELL})?"                    # B7, $A$1:C9
SHEET = r"(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)"   # a sheet as a formula names it: 'My sheet' or Data
# A cell's reference as a file's r attribute holds it (no $, letters in any case) inside the sheet:
# A1 to XFD1048576 (a row written with leading zeros, or 0, is left to the readers as before).
IN_SHEET = (r"(?:[A-Wa-w][A-Za-z]{0,2}|[X-Zx-z][A-Za-z]?|[Xx](?:[A-Ea-e][A-Za-z]|[Ff][A-Da-d]))"
            r"(?:[1-9][0-9]{0,5}|10(?:[0-3][0-9]{4}|4(?:[0-7][0-9]{3}|8(?:[0-4][0-9]{2}|5(?:[0-6][0-9]|7[0-6]))))"
            r"|0[0-9]{0,6})")
_IN_SHEET = re.compile(IN_SHEET)
_CELLISH = re.compile(r"[A-Za-z]+[0-9]+")


def outside_sheet(ref: str) -> bool:
    """Whether a cell's r attribute ("XFE1", "A1048577") names a cell past XFD1048576."""
    return _IN_SHEET.fullmatch(ref) is None and _CELLISH.fullmatch(ref) is not None


def quote_sheet(name: str) -> str:
    """A sheet's name as a formula may always write it: 'It''s here'."""
    return "'" + name.replace("'", "''") + "'"


def unquote_sheet(text: str) -> str:
    """A sheet's name from a formula's text, quoted or not: 'It''s here' -> It's here."""
    return text[1:-1].replace("''", "'") if text.startswith("'") else text


# A defined name's text that is one reference: Plan!$B$7, 'My sheet'!$A$1:$C$9, Data!$A:$A, Data!$3:$5.
_DESTINATION = re.compile(
    r"^\s*(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'\s!]+))!"
    r"(?P<ref>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}"
    r"|\$?\d+:\$?\d+)\s*$")


def destination(text: str) -> tuple[str, str] | None:
    """(sheet, "$A$1:$C$9" as written) when a defined name's text is one reference to a sheet's
    cells; None for a formula, a constant, a union or a reference to another name."""
    m = _DESTINATION.match(text or "")
    if m is None:
        return None
    sheet = m.group("quoted").replace("''", "'") if m.group("quoted") is not None else m.group("plain")
    return sheet, m.group("ref")
