"""A workbook's values as the hostile corpora write their expectations: errors as their text, whole
numbers as floats; and the values a written workbook caches."""
from __future__ import annotations

from pathlib import Path

import openpyxl


def shown(value) -> object:
    """A computed or cached value as the corpus writes expectations: errors as their text."""
    if isinstance(value, (bool, float, int)) or value is None:
        return float(value) if type(value) is int else value
    return str(value)


def cached(path: Path) -> dict[str, object]:
    # a file, not a name: openpyxl refuses .xlam by its name; read-only, which reads the cells and
    # not the formatting (format-missing.xlsx's damaged conditional format is kept as it was)
    with open(path, "rb") as fh:
        wb = openpyxl.load_workbook(fh, data_only=True, read_only=True)
        from roi_xl.excel import address

        return {address(ws.title, c.coordinate): shown(c.value)
                for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
