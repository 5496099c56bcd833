"""The input opened once (xlsx/input_zip.py): what the guard inflated and split is what the reader
and the writer use, bounded, and a file changed under them gives no mixed output."""
from __future__ import annotations

import zipfile

import pytest

from roi_xl.errors import UnsafeWorkbook
from roi_xl.xlsx import guard, input_zip, part_stream
from roi_xl.xlsx.guard import Limits, checked
from roi_xl.xlsx.read import Book, read
from roi_xl.xlsx.writer import write_values

from tests.support import workbook_fixtures as fx

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
LAST = 60_000  # ~2.3 MB of rows: a big part, split (lean) and streamed


def _big_part(last_value: int = 5) -> bytes:
    """Row 1: A1 = 2, B1 = A1*2; rows 20,000 to 20,100: A = the row's number; the last row: A =
    `last_value`, B = a formula; every other row empty with a height. 2 + 101 + 2 = 105 cells."""
    rows = []
    for r in range(1, LAST + 1):
        if r == 1:
            rows.append(b'<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f></c></row>')
        elif 20_000 <= r <= 20_100:
            rows.append(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
        elif r == LAST:
            rows.append(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><f>A%d+A1</f></c></row>'
                        % (r, r, last_value, r, r))
        else:
            rows.append(b'<row r="%d" ht="15" customHeight="1"/>' % r)
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="' + NS.encode()
            + b'"><sheetData>' + b"".join(rows) + b"</sheetData></worksheet>")


@pytest.mark.parametrize("chunk", [4_093, 1 << 20])
def test_the_guard_splits_a_big_sheet_part_as_the_reader_would(tmp_path, monkeypatch, chunk):
    """The lean split made from the guard's chunks (cut anywhere: 4,093 bytes, a prime) is the one
    part_stream.read_lean makes from its own pass, and the reader takes it without inflating the part."""
    monkeypatch.setattr(guard, "_CHUNK", chunk)
    src = fx.one_sheet_workbook(tmp_path / "big.xlsx", _big_part())
    zf, warnings = checked(src)
    with zf, zipfile.ZipFile(src) as plain:
        assert warnings == []
        shared = zf.leans[SHEET]
        alone = part_stream.read_lean(plain, SHEET)
        assert shared is not None and alone is not None
        assert shared[0].data == alone[0].data and bytes(shared[0].source) == bytes(alone[0].source)
        assert shared[0].rows == alone[0].rows and shared[0].inside == alone[0].inside
        assert shared[1] == alone[1]

        def no_second_pass(*args, **kwargs):
            raise AssertionError("the reader streamed the part again")

        monkeypatch.setattr("roi_xl.xlsx.read.read_lean", no_second_pass)
        book, _key = read(zf, Book)
    assert book.values["S"]["A1"] == 2 and book.values["S"]["A20050"] == 20_050
    assert book.values["S"][f"A{LAST}"] == 5
    assert isinstance(book.parts[SHEET][0], part_stream.SourcePart)


def test_a_big_part_split_as_it_is_counted_keeps_its_count(tmp_path):
    """105 cells in the big part (2 + 101 + 2): 105 pass, 104 are too many, whichever pass splits it."""
    src = fx.one_sheet_workbook(tmp_path / "big.xlsx", _big_part())
    zf, _warnings = checked(src, Limits(max_cells=105))
    zf.close()
    with pytest.raises(UnsafeWorkbook, match=r"^too many cells: more than 104 "):
        checked(src, Limits(max_cells=104))


def test_a_small_member_is_inflated_once_a_big_one_each_time(tmp_path, monkeypatch):
    src = fx.one_sheet_workbook(tmp_path / "big.xlsx", _big_part())
    with input_zip.InputZip(src) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels")
        assert zf.read("xl/_rels/workbook.xml.rels") is rels  # held
        big = zf.read(SHEET)
        assert big == _big_part() and zf.read(SHEET) is not big  # never held: inflated again
    monkeypatch.setattr(input_zip, "HOLD_TOTAL", 300)  # past it, small members are inflated again
    with input_zip.InputZip(src) as zf:
        first = [zf.read(name) for name in zf.namelist() if name != SHEET]
        again = [zf.read(name) for name in zf.namelist() if name != SHEET]
        assert first == again
        assert sum(a is b for a, b in zip(first, again)) < len(first)
        assert zf._held_size <= 300


def test_the_shared_package_is_not_changed_by_a_write(tmp_path):
    """Dropping calcChain edits a copy of the relationships' tree: a second copy written through the
    same open file drops it as the first did."""
    src = fx.build_rich_workbook(tmp_path / "rich.xlsx")
    fx.add_calc_chain(src)
    zf, _warnings = checked(src)
    with zf:
        write_values(src, tmp_path / "one.xlsx", {("Plan", "B7"): 7}, opened=zf)
        write_values(src, tmp_path / "two.xlsx", {("Plan", "B7"): 7}, opened=zf)
        assert any(kind.endswith("/calcChain") for _rel, kind, _target in zf.package().rels)
    with zipfile.ZipFile(tmp_path / "one.xlsx") as one, zipfile.ZipFile(tmp_path / "two.xlsx") as two:
        assert "xl/calcChain.xml" not in one.namelist()
        assert one.namelist() == two.namelist()
        assert all(one.read(name) == two.read(name) for name in one.namelist())
        assert b"calcChain" not in one.read("xl/_rels/workbook.xml.rels")


def test_a_file_replaced_after_the_guard_is_copied_as_it_was_checked(tmp_path):
    """Another workbook renamed over the input between the read and the write: the open file is
    still the one checked and read, so the copy is that one's, with none of the new file in it."""
    src = fx.one_sheet_workbook(tmp_path / "big.xlsx", _big_part())
    other = fx.one_sheet_workbook(tmp_path / "other.xlsx", _big_part(last_value=6))
    zf, _warnings = checked(src)
    with zf:
        book, _key = read(zf, Book)
        other.replace(src)
        out = tmp_path / "out.xlsx"
        write_values(src, out, {("S", "B1"): 4}, parsed=book.parts, lean=book.lean, opened=zf)
    assert fx.sheet_part(out) == _big_part().replace(b"<f>A1*2</f>", b"<f>A1*2</f><v>4</v>")


def test_a_file_written_to_after_the_guard_gives_no_copy(tmp_path):
    """The input rewritten in place (the same file, other bytes) between the read and the write: the
    parts read before and those copied now would not belong together, so no copy is made."""
    src = fx.one_sheet_workbook(tmp_path / "big.xlsx", _big_part())
    changed = fx.one_sheet_workbook(tmp_path / "other.xlsx", _big_part(last_value=123_456)).read_bytes()
    zf, _warnings = checked(src)
    with zf:
        book, _key = read(zf, Book)
        with open(src, "r+b") as fh:  # the same file (inode), other bytes
            fh.write(changed)
            fh.truncate()
        out = tmp_path / "out" / "out.xlsx"
        out.parent.mkdir()
        with pytest.raises(ValueError, match=r"^big\.xlsx was written to while it was recalculated"):
            write_values(src, out, {("S", "B1"): 4}, parsed=book.parts, lean=book.lean, opened=zf)
    assert list(out.parent.iterdir()) == []


def test_two_members_named_alike_are_each_read_as_stored(tmp_path):
    """Held bytes are found by name: a member that is not the one its name looks up (a second
    member of that name, which the guard refuses) is read as its own, never as the first one."""
    path = tmp_path / "twice.zip"
    with zipfile.ZipFile(path, "w") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        zf.writestr("a.xml", b"<first/>")
        zf.writestr("a.xml", b"<second/>")
    with input_zip.InputZip(path) as zf:
        first, second = zf.infolist()
        assert zf.read(first) == b"<first/>" and zf.read(second) == b"<second/>"
        assert zf.read(first) == b"<first/>" and zf.read("a.xml") == b"<second/>"
