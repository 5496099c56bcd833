"""Excel's value model in one place.

How a cell, a blank, a text, a bool, a date and a range arrive from either face (xlwings or the
headless engine), how they are coerced into plain numbers, and the one error type every function
returns instead of raising.
"""
from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterator

from .errors import ArgumentError
from .references import quote_sheet


class XlError(Enum):
    """An Excel error value. Functions return these; they never raise."""

    NULL = "#NULL!"
    DIV0 = "#DIV/0!"
    VALUE = "#VALUE!"
    REF = "#REF!"
    NAME = "#NAME?"
    NUM = "#NUM!"
    NA = "#N/A"
    SPILL = "#SPILL!"
    CALC = "#CALC!"
    GETTING_DATA = "#GETTING_DATA"

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return self.value

    @classmethod
    def from_code(cls, code: str) -> "XlError | None":
        """The error named by its Excel text (any letter case), or None."""
        return _BY_CODE.get(code.strip().upper()) if isinstance(code, str) else None


_BY_CODE = {e.value: e for e in XlError}

# ERROR.TYPE's number of each error text (Excel's documentation); sorting orders errors by it too.
ERROR_TYPE_NUMBERS = {"#NULL!": 1, "#DIV/0!": 2, "#VALUE!": 3, "#REF!": 4, "#NAME?": 5, "#NUM!": 6,
                      "#N/A": 7, "#GETTING_DATA": 8, "#SPILL!": 9, "#CONNECT!": 10, "#BLOCKED!": 11,
                      "#UNKNOWN!": 12, "#FIELD!": 13, "#CALC!": 14}


class Omitted:
    """An argument left out of the call, as in `=KPI_ATTAINMENT(A1,B1,"higher",,1.1)`.

    Distinct from a blank cell (None) and from a typed 0, because our functions follow VBA's
    `Optional` parameters: an omitted argument takes its default.
    """

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "OMITTED"

    def __reduce__(self):
        return (Omitted, ())


OMITTED = Omitted()

# Excel's day zero for serial dates (the 1900 system, with its phantom 29 Feb 1900 already
# absorbed for every date from March 1900 on).
_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)


def date_to_serial(value: _dt.date) -> float:
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    delta = value.replace(tzinfo=None) - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6


def clean(value: Any) -> Any:
    """One cell's value as the catalogue sees it: float, bool, str, None (blank) or XlError.

    numpy scalars become Python ones, ints become floats, dates become Excel serial numbers,
    and a non-finite number (which no cell can hold) becomes #NUM!.
    """
    if value is None or isinstance(value, (bool, str, XlError, Omitted)):
        return value
    if isinstance(value, (int, float)):
        value = float(value)
        return value if math.isfinite(value) else XlError.NUM
    if isinstance(value, (_dt.date, _dt.datetime)):
        return date_to_serial(value)
    item = getattr(value, "item", None)  # numpy scalar
    if item is not None and (getattr(value, "ndim", None) == 0 or not hasattr(value, "__len__")):
        return clean(item())
    return XlError.VALUE


@dataclass(frozen=True)
class Grid:
    """A range as a shape and its cells in row-major order (already cleaned)."""

    rows: int
    cols: int
    cells: tuple

    @property
    def shape(self) -> tuple[int, int]:
        return (self.rows, self.cols)

    @property
    def is_single(self) -> bool:
        return self.rows == 1 and self.cols == 1

    def first_error(self) -> XlError | None:
        return self._first_error

    @functools.cached_property
    def _first_error(self) -> XlError | None:  # a range handed to many calls is scanned once
        return next((c for c in self.cells if isinstance(c, XlError)), None)


def _rows_of(value: Any) -> list[list[Any]] | None:
    """A range as a list of rows, or None for a single value. 1-D sequences are one row."""
    tolist = getattr(value, "tolist", None)
    if tolist is not None and getattr(value, "ndim", None) is not None:
        value = tolist()  # numpy array (0-d gives a scalar)
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, list):
        return None
    if not value:
        return [[]]
    if any(isinstance(v, (list, tuple)) or getattr(v, "ndim", 0) for v in value):
        rows = []
        for row in value:
            inner = _rows_of(row)
            rows.append([row] if inner is None else [c for r in inner for c in r])
        return rows
    return [value]


_PLAIN = frozenset({float, str, bool, type(None), XlError, Omitted})


def _plain_grid(rows: list) -> Grid | None:
    """A list of equally long lists of plain cell values (what the engine passes for a range) as
    a Grid, without the general path's probing; None when anything needs that path."""
    width = len(rows[0]) if rows[0].__class__ is list else -1
    cells: list = []
    for row in rows:
        if row.__class__ is not list or len(row) != width:
            return None
        for cell in row:
            cls = cell.__class__
            if cls in _PLAIN and (cls is not float or math.isfinite(cell)):
                cells.append(cell)
            elif cls is int or cls is float:
                cells.append(clean(cell))   # a non-finite number is #NUM!, as on the general path
            else:
                return None
    return Grid(len(rows), width, tuple(cells))


def to_grid(value: Any) -> Grid:
    """Any argument as a Grid: a scalar is a 1x1 range, a Grid itself."""
    if value.__class__ is Grid:
        return value
    if value.__class__ is list and value:
        grid = _plain_grid(value)
        if grid is not None:
            return grid
    rows = _rows_of(value)
    if rows is None:
        return Grid(1, 1, (clean(value),))
    width = max((len(r) for r in rows), default=0)
    # A ragged nested list is padded with blanks, as Excel pads a jagged array constant with #N/A;
    # blanks are the kinder reading for a Python caller.
    cells = tuple(clean(r[i]) if i < len(r) else None for r in rows for i in range(width))
    return Grid(len(rows), width, cells)


def is_range(value: Any) -> bool:
    """True for a multi-cell argument; a 1x1 range is a single cell, as in Excel."""
    return not to_grid(value).is_single


def iter_cells(value: Any) -> Iterator[Any]:
    yield from to_grid(value).cells


def number(value: Any) -> float:
    """An argument as one number, the way SUM reads it.

    A range sums its numbers, skipping blanks, text and bools; a single cell must be a number
    (a blank is 0, a bool is 0 or 1, a text is #VALUE!). An error anywhere is returned as is.
    """
    grid = to_grid(value)
    error = grid.first_error()
    if error is not None:
        raise ArgumentError(error)
    if grid.is_single:
        cell = grid.cells[0]
        if cell is None or isinstance(cell, Omitted):
            return 0.0
        if isinstance(cell, bool):
            return float(cell)
        if isinstance(cell, str):
            raise ArgumentError(XlError.VALUE)
        return cell
    return math.fsum(c for c in grid.cells if isinstance(c, float))


def cells(value: Any) -> Grid:
    """An argument as a Grid, for functions that pair cells row by row. Errors are returned."""
    grid = to_grid(value)
    error = grid.first_error()
    if error is not None:
        raise ArgumentError(error)
    return grid


def numeric_or_none(cell: Any) -> float | None:
    """A range cell's number, or None where SUM would skip it (blank, text, bool)."""
    return cell if isinstance(cell, float) else None


def text(value: Any) -> str | None:
    """A single text argument (a choice such as a direction): None when blank."""
    cell = scalar(value)
    if cell is None:
        return None
    if not isinstance(cell, str):
        raise ArgumentError(XlError.VALUE)
    return cell


def logical(value: Any) -> bool:
    """A single TRUE/FALSE argument as Excel reads one: a number is TRUE unless 0, the texts
    "TRUE" and "FALSE" (any letter case) are themselves, any other text or a range is #VALUE!."""
    cell = scalar(value)
    if cell is None or isinstance(cell, bool):
        return bool(cell)
    if isinstance(cell, float):
        return cell != 0
    if isinstance(cell, str) and cell.upper() in ("TRUE", "FALSE"):
        return cell.upper() == "TRUE"
    raise ArgumentError(XlError.VALUE)


def scalar(value: Any) -> Any:
    """A single cell of any type (a lookup key): None when blank."""
    grid = to_grid(value)
    error = grid.first_error()
    if error is not None:
        raise ArgumentError(error)
    if not grid.is_single:
        raise ArgumentError(XlError.VALUE)
    cell = grid.cells[0]
    return None if isinstance(cell, Omitted) else cell


def is_blank(value: Any) -> bool:
    """True for an omitted argument or a blank single cell (optional arguments then default)."""
    if value is None or isinstance(value, Omitted):
        return True
    grid = to_grid(value)
    return grid.is_single and (grid.cells[0] is None or isinstance(grid.cells[0], Omitted))


_PLAIN_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def address(sheet: str, cell: str) -> str:
    """A sheet-qualified address as Excel writes it: Summary!B4, 'Cost by channel'!B4."""
    if _PLAIN_SHEET.fullmatch(sheet):
        return f"{sheet}!{cell}"
    return f"{quote_sheet(sheet)}!{cell}"
