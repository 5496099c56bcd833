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


def _rewritten(path: Path, *edits: tuple[bytes, bytes]) -> Path:
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    for old, new in edits:
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


_PREFIXED = ((b'<c r="', b'<x:c r="'), (b"</c>", b"</x:c>"),
             (b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '))


@pytest.mark.parametrize("edits", [(), ((b'<c r="', b'<c\n r="'),), ((b'<c r="', b'<c\t r="'),), _PREFIXED],
                         ids=["spaced", "a newline", "a tab", "prefixed"])
def test_every_cell_is_counted(tmp_path, edits):
    path = _book(tmp_path / "cells.xlsx", 30)
    if edits:
        _rewritten(path, *edits)
        assert b"<c r=" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    check(path, Limits(max_cells=31))              # 30 numbers and the formula
    with pytest.raises(UnsafeWorkbook, match="too many cells"):
        check(path, Limits(max_cells=30))
