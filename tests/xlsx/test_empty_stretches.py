"""The guard's shortcut over stretches of empty rows (lean.empty_rows, lean.empty_stretches): a
stretch it skips holds nothing to count, and one that only looks empty is counted as before; the
lean split it hands on (LeanReader told which stretches are empty) is the one made without it."""
from __future__ import annotations

import zipfile

import pytest

from roi_xl.errors import UnsafeWorkbook
from roi_xl.xlsx import guard, lean, part_stream
from roi_xl.xlsx.guard import Limits, checked
from roi_xl.xlsx.lean import empty_rows, empty_stretches

from tests.support import workbook_fixtures as fx

NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
LAST = 60_000  # ~2.3 MB of rows: a big part, split (lean) as it is counted


def _rows(first: int, last: int) -> bytes:
    return b"".join(b'<row r="%d" ht="15" customHeight="1"/>' % r for r in range(first, last + 1))


# Markup hidden among empty rows, each replacing row 500 of a stretch of 1,000: none may pass for empty.
_HIDING = {
    "a cell after a row": b'<row r="500"/><c r="A500"><v>1</v></c>',
    "a formula after a row": b'<row r="500"/><f>1+1</f>',
    "a prefixed cell": b'<row r="500"/><x:c r="A500"/>',
    "a comment": b'<row r="500"/><!-- <c r="A1"/> -->',
    "CDATA": b'<row r="500"/><![CDATA[ x ]]>',
    "a processing instruction": b'<row r="500"/><?pi x?>',
    "a hidden row": b'<row r="500" hidden="1"/>',
    "a > inside a row": b'<row r="500" ht="15">x/>',
    "a row open and closed": b'<row r="500"></row>',
    "a row with a cell": b'<row r="500"><c r="A500"/></row>',
    "a row not numbered first": b'<row ht="15" r="500"/>',
}


def test_a_stretch_of_empty_rows_is_empty():
    rows = _rows(1, 1_000)
    assert empty_rows(rows, 0, len(rows))
    assert empty_rows(rows, rows.index(b'<row r="7"'), rows.index(b'<row r="900"'))


@pytest.mark.parametrize("hidden", _HIDING.values(), ids=_HIDING.keys())
def test_a_stretch_that_only_looks_empty_is_not(hidden):
    rows = _rows(1, 499) + hidden + _rows(501, 1_000)
    assert not empty_rows(rows, 0, len(rows))
    found = empty_stretches(rows, 0, len(rows))  # one stretch (under 64 KB): not empty
    assert found == []


def test_the_empty_stretches_of_a_long_run_skip_the_one_that_hides_a_cell():
    """200,000 rows (~7.5 MB), a cell after row 100,000: the stretches found empty cover every
    byte but the ~64 KB stretch that holds the cell, and that stretch starts where a row starts."""
    cell = b'<c r="A100000"><v>1</v></c>'
    data = _rows(1, 100_000) + cell + _rows(100_001, 200_000)
    found = empty_stretches(data, 0, len(data))
    at = data.index(cell)
    assert len(found) == 2 and found[0][0] == 0 and found[1][1] == len(data)
    gap = (found[0][1], found[1][0])
    assert gap[0] < at < gap[1] and gap[1] - gap[0] < 3 * 65_536
    assert data.startswith(b'<row r="', gap[0]) and data.startswith(b'<row r="', gap[1])


def _big_part(*extra: tuple[int, bytes]) -> bytes:
    """Rows 1 to LAST, each empty with a height, but for row 1 (A1 = 2, B1 = A1*2: 2 cells) and the
    rows `extra` gives (their number, their bytes)."""
    rows = dict(extra)
    rows[1] = b'<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f></c></row>'
    body = b"".join(rows.get(r) or b'<row r="%d" ht="15" customHeight="1"/>' % r for r in range(1, LAST + 1))
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="' + NS
            + b'" xmlns:x="' + NS + b'"><sheetData>' + body + b"</sheetData></worksheet>")


# Cells among tens of thousands of empty rows, written so that a stretch looks nearly empty: 26 in all
# with row 1's two (a cell after a self-closed row, one after a ">" inside a row, one in a comment,
# which the guard counts as it counts every cell's start, a prefixed one, and an array formula over
# C50000:D50009, 20 cells).
_HIDDEN_CELLS = (
    (20_000, b'<row r="20000" ht="15" customHeight="1"/><c r="A20000"><v>1</v></c>'),
    (30_000, b'<row r="30000" ht="15">x/><c r="B30000"><v>1</v></c></row>'),
    (40_000, b'<row r="40000" ht="15" customHeight="1"/><!-- <c r="A40000"/> -->'),
    (50_000, b'<row r="50000"><c r="C50000"><f t="array" ref="C50000:D50009">1</f></c></row>'),
    (55_000, b'<row r="55000" ht="15" customHeight="1"/><x:c r="A55000"><x:v>1</x:v></x:c>'),
)


@pytest.mark.parametrize("chunk", [4_093, 65_537, 1 << 20])
def test_cells_hidden_among_empty_rows_are_all_counted(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(guard, "_CHUNK", chunk)  # chunks cut anywhere (4,093: a prime)
    src = fx.one_sheet_workbook(tmp_path / "hidden.xlsx", _big_part(*_HIDDEN_CELLS))
    checked(src, Limits(max_cells=26))[0].close()
    with pytest.raises(UnsafeWorkbook, match=r"^too many cells: more than 25 "):
        checked(src, Limits(max_cells=25))


@pytest.mark.parametrize("chunk", [4_093, 1 << 20])
def test_a_long_formula_hidden_among_empty_rows_is_refused(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(guard, "_CHUNK", chunk)
    formula = b"1+" * 5_000 + b"1"  # 10,001 characters: over Excel's 8,192
    row = b'<row r="45000" ht="15" customHeight="1"/><c r="A45000"><f>' + formula + b"</f></c>"
    src = fx.one_sheet_workbook(tmp_path / "long.xlsx", _big_part((45_000, row)))
    # the cell is named when its start is in the chunk that ends the formula (not so at 4,093 bytes)
    where = "S!A45000" if chunk > 1 << 16 else "sheet 'S'"
    with pytest.raises(UnsafeWorkbook, match=rf"^formula too long in {where}: 10,001 characters"):
        checked(src)


_LEAN = ((50_000, _HIDDEN_CELLS[3][1]), (35_000, b'<row r="35000" hidden="1" ht="15"/>'),
         (37_000, b'<row r="37000"></row>'))  # rows kept in the tree (a formula, a hidden row) or dropped
_WHOLE = (*_HIDDEN_CELLS, (36_000, b'<row r="36000" ht="15" x="sheetData"/>'))  # markup outside rows


@pytest.mark.parametrize("rows, kept", [(_LEAN, [b"1", b"35000", b"50000"]), (_WHOLE, None)], ids=["lean", "whole"])
def test_the_split_made_with_the_shortcut_is_the_one_made_without_it(tmp_path, monkeypatch, rows, kept):
    """The guard's lean split (the stretches it found empty not tested again) equals the reader's
    own pass over the part (part_stream.read_lean, every stretch tested): the same rows kept, or,
    for a part with cells outside rows or "sheetData" in a row's attribute, none (parsed whole)."""
    src = fx.one_sheet_workbook(tmp_path / "tricky.xlsx", _big_part(*rows))
    told: list[int] = []
    feed = lean.LeanReader.feed
    monkeypatch.setattr(lean.LeanReader, "feed",
                        lambda self, chunk, empty=(): told.append(len(empty)) or feed(self, chunk, empty))
    zf, _warnings = checked(src)
    with zf, zipfile.ZipFile(src) as plain:
        assert sum(told) > 0  # the guard told it of empty stretches
        shared, alone = zf.leans[SHEET], part_stream.read_lean(plain, SHEET)
    if kept is None:
        assert shared is None and alone is None
        return
    assert shared is not None and alone is not None and shared[0].rows == alone[0].rows == kept
    assert shared[0].data == alone[0].data and bytes(shared[0].source) == bytes(alone[0].source)
    assert shared[1] == alone[1]
    assert shared[0].data.count(b"<row ") == 3  # the kept rows alone: row 37,000, open and closed but empty, dropped
