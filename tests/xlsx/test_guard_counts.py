"""The guard counts a big sheet's cells with as few passes as it can (one count when every "<c" is a
cell's "<c "), and still every cell, whichever way it is written."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from roi_xl.xlsx.guard import Limits, UnsafeWorkbook, check


def _book(path: Path, cells: int) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.column_dimensions["B"].width = 30            # a <cols><col .../> beside the cells
    for i in range(cells):
        ws.cell(row=i // 5 + 1, column=i % 5 + 1, value=i)
    ws["G1"] = "=SUM(A1:E6)"                        # one more cell, a formula
    wb.save(path)
    return path


def _rewritten(path: Path, old: bytes, new: bytes) -> Path:
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("old, new", [(b"", b""), (b'<c r="', b'<c\n r="')], ids=["spaced", "a newline"])
def test_every_cell_is_counted(tmp_path, old, new):
    path = _book(tmp_path / "cells.xlsx", 30)
    if old:
        _rewritten(path, old, new)
    check(path, Limits(max_cells=31))              # 30 numbers and the formula
    with pytest.raises(UnsafeWorkbook, match="too many cells"):
        check(path, Limits(max_cells=30))
