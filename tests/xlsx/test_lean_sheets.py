"""Sheets listing every row (a height, a style) around a few cells: the fast reader parses them without
their empty rows (xlsx.lean.lean_sheet) and the writer puts the edited rows back among the original
bytes, so such a file costs about what its cells cost and every row comes back as it was."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

import roi_xl
from roi_xl.engine import fastbook
from roi_xl.xlsx.lean import lean_sheet
from roi_xl.xlsx.writer import write_values

ROWS = 60_000  # ~2.5 MB of rows: past lean_sheet's 1 MB
EMPTY = re.compile(rb'<row r="\d+" ht="21" customHeight="1"/>')


def _with_empty_rows(path: Path, rows: int = ROWS) -> None:
    """Every row after the cells' own listed, empty, with a height (as a formatted sheet has)."""
    with zipfile.ZipFile(path) as zf:
        parts = {info: zf.read(info) for info in zf.infolist()}
    out = {}
    for info, data in parts.items():
        if info.filename == "xl/worksheets/sheet1.xml":
            extra = "".join(f'<row r="{i}" ht="21" customHeight="1"/>' for i in range(10, rows + 1))
            data = data.replace(b"</sheetData>", extra.encode() + b"</sheetData>")
        out[info] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in out.items():
            zf.writestr(info.filename, data)


@pytest.fixture(scope="module")
def formatted(tmp_path_factory) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    for r, amount in enumerate([10, 20, 30, 40], start=1):
        ws[f"A{r}"] = amount
    ws.row_dimensions[3].hidden = True                  # 30 is hidden by hand
    ws["B1"] = "=SUM(A1:A4)"                            # 100
    ws["B2"] = "=SUBTOTAL(109,A1:A4)"                   # 70: 109 leaves hidden rows out
    ws["B5"] = "=B1*2"                                  # 200
    path = tmp_path_factory.mktemp("lean") / "formatted.xlsx"
    wb.save(path)
    _with_empty_rows(path)
    return path


def _sheet(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml")


def test_the_reader_parses_a_formatted_sheet_without_its_empty_rows(formatted):
    book = fastbook.read(formatted)
    assert book.lean == {"xl/worksheets/sheet1.xml"}
    tree = book.parts["xl/worksheets/sheet1.xml"][1]
    rows = tree.getroot().findall(".//{*}row")
    # rows 1, 2 and 5 hold formulas, row 3 is hidden; row 4's number was read from its bytes, and
    # none of the 59,991 empty rows is there
    assert [row.get("r") for row in rows] == ["1", "2", "3", "5"]
    assert book.values["S"] == {"A1": 10, "A2": 20, "A3": 30, "A4": 40}
    assert fastbook.facts(book).hidden_rows == {"S": {3}}


def test_a_recalculated_formatted_sheet_keeps_every_row_byte_for_byte(formatted, tmp_path):
    out = tmp_path / "out.xlsx"
    result = roi_xl.recalc(formatted, out)
    assert result["S!B1"] == 100
    assert result["S!B2"] == 70
    assert result["S!B5"] == 200
    before, after = _sheet(formatted), _sheet(out)
    assert EMPTY.findall(after) == EMPTY.findall(before) and len(EMPTY.findall(after)) == ROWS - 9
    # all that changed: each formula cell gained its value
    assert re.sub(rb"<v>[^<]*</v>(?=</c>)", b"", after) == re.sub(rb"<v>[^<]*</v>(?=</c>)", b"", before)


def test_a_value_written_into_an_empty_row_keeps_that_row_once(formatted, tmp_path):
    """The lean tree lacks row 40,000: the writer parses the whole part for that edit."""
    book = fastbook.read(formatted)
    out = tmp_path / "typed.xlsx"
    write_values(formatted, out, {("S", "C40000"): 5}, parsed=book.parts, lean=book.lean)
    after = _sheet(out)
    assert after.count(b'<row r="40000"') == 1
    assert re.search(rb'<row r="40000"[^>]*><c r="C40000"[^>]*><v>5</v></c></row>', after)
    assert len(EMPTY.findall(after)) == ROWS - 10  # the other empty rows all kept


def test_small_parts_and_unnumbered_rows_are_parsed_whole():
    rows = b"".join(b'<row r="%d"/>' % i for i in range(1, 100_000))
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>'
    assert lean_sheet(sheet % rows[:1000]) is None                 # under 1 MB: whole
    assert lean_sheet(sheet % (rows + b"<row/>")) is None          # a row without its number
    assert lean_sheet(sheet % rows).data == sheet % b""             # every row empty: gone
    hidden = rows + b'<row r="100000" hidden="1"/>'
    assert lean_sheet(sheet % hidden).data == sheet % b'<row r="100000" hidden="1"/>'


def test_stretches_of_empty_rows_go_whole_and_the_rows_among_them_stay():
    """Rows told empty 64 KB at a time: a hidden row, a row with a cell and a row written open
    and closed in the middle of 200,000 empty ones are found as they are."""
    empty = [b'<row r="%d" ht="21" customHeight="1"/>' % i for i in range(1, 200_001)]
    hidden = b'<row r="70000" hidden="1" ht="21"/>'
    filled = b'<row r="120000"><c r="A120000"><f>1+1</f></c></row>'
    empty[70_000 - 1], empty[120_000 - 1] = hidden, filled
    empty[150_000 - 1] = b'<row r="150000"></row>'
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>'
    lean = lean_sheet(sheet % b"".join(empty))
    assert lean.data == sheet % (hidden + filled)
    assert lean.rows == [b"70000", b"120000"]


def test_a_part_kept_past_half_is_parsed_whole_and_one_kept_below_half_is_not():
    """lean_sheet gives up once the rows it keeps (formulas) pass half the part: the same answer as
    when it looked at every row. 30,000 rows of ~55 bytes (~1.6 MB): formulas in the first k rows,
    plain numbers after; kept below half, the plain rows are read from the bytes."""
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>'

    def rows(formulas: int) -> bytes:
        return b"".join(b'<row r="%d"><c r="A%d"><f>B%d*2</f></c></row>' % (r, r, r) if r <= formulas
                        else b'<row r="%d"><c r="A%d"><v>%d000000</v></c></row>' % (r, r, r)
                        for r in range(1, 30_001))

    assert lean_sheet(sheet % rows(30_000)) is None   # every row kept
    assert lean_sheet(sheet % rows(16_000)) is None   # 16,000 of 30,000 rows of one length: past half
    kept = lean_sheet(sheet % rows(14_000))           # below half: lean, 14,000 rows in the tree
    assert kept is not None and kept.data.count(b"<row ") == 14_000
    assert sum(isinstance(row, tuple) for row in kept.rows) == 16_000
