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


def _formula_sheet(tmp_path: Path, name: str, formulas: list[bytes], pad: int) -> Path:
    """A sheet of 3,000 short formulas (A1 to A3000, ~0.1 MB) with `formulas` (texts as stored) in
    B2, B3…, after `pad` bytes of text in a cell of its own (moving them against the chunks)."""
    from tests.support import workbook_fixtures as fx
    rows = [b'<row r="1"><c r="C1" t="inlineStr"><is><t>' + b"x" * pad + b"</t></is></c></row>"]
    rows += [b'<row r="%d"><c r="A%d"><f>A%d+1</f></c>%s</row>'
             % (r, r, r - 1, b'<c r="B%d"><f>%s</f></c>' % (r, formulas[r - 2]) if r - 2 < len(formulas) else b"")
             for r in range(2, 3_001)]
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + b"".join(rows) + b"</sheetData></worksheet>")
    return fx.one_sheet_workbook(tmp_path / name, sheet)


@pytest.mark.parametrize("chunk", [None, 4_093])
@pytest.mark.parametrize("pad", [0, 1, 4_095, 4_096, 8_191, 8_192, 12_345])
def test_a_formula_one_character_over_the_limit_is_refused_wherever_it_lies(tmp_path, monkeypatch, pad, chunk):
    """Formulas of 8,192 characters pass, 8,193 do not, whatever the bytes before them: the guard looks
    only around every 8,192nd byte for a text that long. An escaped character (&amp;) counts once.
    Read whole, or streamed in chunks of 4,093 bytes (a prime: cut anywhere)."""
    if chunk is not None:
        from roi_xl.xlsx import guard
        monkeypatch.setattr(guard, "HOLD_BELOW", 0)
        monkeypatch.setattr(guard, "_CHUNK", chunk)
    at_limit = b"1+" * 4_095 + b"12"                     # 8,192 characters
    escaped = b'"' + b"&amp;" * 8_190 + b'"'             # 8,192 characters in 40,952 bytes
    ok = _formula_sheet(tmp_path, "ok.xlsx", [at_limit, escaped, at_limit], pad)
    check(ok)
    over = _formula_sheet(tmp_path, "over.xlsx", [at_limit, escaped, at_limit + b"3"], pad)
    where = "S!B4" if chunk is None else "(S!B4|sheet 'S')"  # the cell named when its start is in the chunk
    with pytest.raises(UnsafeWorkbook, match=rf"^formula too long in {where}: 8,193 characters"):
        check(over)
    short = _formula_sheet(tmp_path, "short.xlsx", [b"1+" * 50 + b"1"], pad)  # 101: the regex path
    check(short, Limits(max_formula_length=101))
    with pytest.raises(UnsafeWorkbook, match=rf"^formula too long in {where.replace('B4', 'B2')}: 101 characters"):
        check(short, Limits(max_formula_length=100))
