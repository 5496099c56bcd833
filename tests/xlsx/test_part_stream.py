"""Big sheet parts streamed (xlsx.part_stream): read and written a chunk at a time, rows cut by chunk
ends and edited rows at the very end put back as they were, a changed or damaged input never
half-written."""
from __future__ import annotations

import dataclasses
import zipfile

import pytest

import roi_xl
from roi_xl.engine import fastbook
from roi_xl.errors import NeedsWholeTree, UnsafeWorkbook
from roi_xl.xlsx import part_stream
from roi_xl.xlsx.guard import check, checked
from roi_xl.xlsx.lean import LeanReader, lean_sheet, rows_into
from roi_xl.xlsx.writer import write_values

from tests.support import workbook_fixtures as fx

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"
LAST = 60_000  # ~2.3 MB of rows: past the 1 MB from which a part is streamed


def _rows(last_value: int = 5) -> bytes:
    """Row 1: A1 = 2, B1 = A1*2 (4). Rows 20,000 to 20,100: A = the row's number (plain rows, read
    from their bytes: 20,000 + ... + 20,100 = 101 * 20,050 = 2,025,050). Row 30,000 hidden. The
    last row: A = `last_value`, B = A + A1 + SUM(A20000:A20100) (5 + 2 + 2,025,050 = 2,025,057).
    Every other row empty with a height."""
    out = []
    for r in range(1, LAST + 1):
        if r == 1:
            out.append(b'<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f></c></row>')
        elif 20_000 <= r <= 20_100:
            out.append(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
        elif r == 30_000:
            out.append(b'<row r="30000" hidden="1" ht="15"/>')
        elif r == LAST:
            out.append(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><f>A%d+A1+SUM(A20000:A20100)</f></c>'
                       b'</row>' % (r, r, last_value, r, r))
        else:
            out.append(b'<row r="%d" ht="15" customHeight="1"/>' % r)
    return b"".join(out)


def _part(last_value: int = 5) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="' + NS.encode()
            + b'"><dimension ref="A1:B%d"/><sheetData>' % LAST + _rows(last_value)
            + b'</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            b'footer="0.3"/></worksheet>')


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 4,093 bytes (a prime: rows and tags cut at every place) instead of a megabyte."""
    monkeypatch.setattr(part_stream, "CHUNK", 4_093)


@pytest.mark.parametrize("chunk", [997, 4_093, 65_537, 1 << 20])
def test_a_part_fed_in_pieces_of_any_size_is_read_as_it_is_whole(chunk):
    part = _part()
    reader = LeanReader(len(part))
    for at in range(0, len(part), chunk):
        assert reader.feed(part[at:at + chunk])
    lean = reader.finish()
    assert lean is not None
    # what the tree is given: the rows with a formula and the hidden one; the plain rows read from
    # their bytes; the empty ones gone
    head, tail = _part().split(b"<sheetData>")[0], b"</sheetData>" + _part().split(b"</sheetData>")[1]
    assert lean.data == (head + b"<sheetData>"
                         + b'<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f></c></row>'
                         + b'<row r="30000" hidden="1" ht="15"/>'
                         + b'<row r="60000"><c r="A60000"><v>5</v></c><c r="B60000"><f>A60000+A1+'
                           b'SUM(A20000:A20100)</f></c></row>' + tail)
    assert lean.source == b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r)
                                   for r in range(20_000, 20_101))
    assert lean.rows[0] == b"1" and lean.rows[-2:] == [b"30000", b"60000"] and len(lean.rows) == 104
    assert lean.inside == (len(head) + len(b"<sheetData>"), len(part) - len(tail))
    whole = lean_sheet(part)
    assert whole is not None and (whole.data, whole.source, whole.rows) == (lean.data, lean.source, lean.rows)


def test_the_sheetdata_tags_cut_anywhere_between_two_pieces():
    part = _part()
    whole = lean_sheet(part)
    assert whole is not None
    opens, closes = part.index(b"<sheetData>"), part.index(b"</sheetData>")
    for cut in [*range(opens - 1, opens + 13), *range(closes - 1, closes + 14)]:
        reader = LeanReader(len(part))
        assert reader.feed(part[:cut]) and reader.feed(part[cut:]), cut
        lean = reader.finish()
        assert lean is not None and (lean.data, lean.rows, lean.inside) == (whole.data, whole.rows, whole.inside)


def test_a_kept_row_cut_anywhere_between_two_pieces_is_put_back_in_place():
    """The edited row (its value added) replaces the original one wherever the pieces are cut: in
    its number, in its tags, in the rows around it."""
    original = (b'<row r="1" ht="15"/><row r="2"><c r="A2"><f>1+1</f></c></row>'
                b'<row r="3" ht="15"/><row r="4"><c r="A4"><f>2*3</f></c></row>')
    inner = b'<row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row><row r="4"><c r="A4"><f>2*3</f><v>6</v></c></row>'
    expected = (b'<row r="1" ht="15"/><row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row>'
                b'<row r="3" ht="15"/><row r="4"><c r="A4"><f>2*3</f><v>6</v></c></row>')
    for cut in range(len(original) + 1):
        for second in range(cut, len(original) + 1, 7):
            pieces = [original[:cut], original[cut:second], original[second:]]
            assert b"".join(rows_into(pieces, inner)) == expected, (cut, second)
    with pytest.raises(NeedsWholeTree):  # a row the original lacks
        b"".join(rows_into([original], b'<row r="5"><c r="A5"/></row>'))


def test_a_recalculated_part_read_and_written_in_small_chunks_keeps_every_row(tmp_path, small_chunks):
    src = fx.one_sheet_workbook(tmp_path / "rows.xlsx", _part())
    book = fastbook.read(src)
    assert isinstance(book.parts[SHEET][0], part_stream.SourcePart)  # the bytes are not held
    assert book.values["S"]["A20050"] == 20_050 and book.values["S"]["A60000"] == 5
    out = tmp_path / "out.xlsx"
    result = roi_xl.recalc(src, out)
    assert result["S!B1"] == 4
    assert result["S!B60000"] == 2_025_057  # the last row, just before </sheetData>
    assert fx.sheet_part(out) == (_part().replace(b"<f>A1*2</f>", b"<f>A1*2</f><v>4</v>")
                           .replace(b"SUM(A20000:A20100)</f>", b"SUM(A20000:A20100)</f><v>2025057</v>"))


def test_a_cell_created_in_a_streamed_part_widens_its_dimension(tmp_path, small_chunks):
    src = fx.one_sheet_workbook(tmp_path / "rows.xlsx", _part())
    book = fastbook.read(src)
    out = tmp_path / "out.xlsx"
    write_values(src, out, {("S", "C60000"): 9}, parsed=book.parts, lean=book.lean)
    assert fx.sheet_part(out) == (_part().replace(b'<dimension ref="A1:B60000"/>', b'<dimension ref="A1:C60000"/>')
                           .replace(b"SUM(A20000:A20100)</f></c>", b"SUM(A20000:A20100)</f></c>"
                                                                   b'<c r="C60000"><v>9</v></c>'))


def test_a_part_changed_since_it_was_read_is_written_as_it_is_now(tmp_path, small_chunks):
    src = fx.one_sheet_workbook(tmp_path / "rows.xlsx", _part())
    book = fastbook.read(src)
    fx.one_sheet_workbook(src, _part(last_value=6))  # another CRC: the writer reads the part as it now is
    out = tmp_path / "out.xlsx"
    write_values(src, out, {("S", "B1"): 4}, parsed=book.parts, lean=book.lean)
    assert fx.sheet_part(out) == _part(last_value=6).replace(b"<f>A1*2</f>", b"<f>A1*2</f><v>4</v>")


def test_a_part_damaged_since_it_was_read_leaves_no_output(tmp_path, small_chunks):
    """The directory unchanged, one byte of the part's deflated data flipped near its end: zipfile's
    CRC check stops the stream once the output is nearly written, and nothing is left where it
    would be; the guard refuses the file with its one line."""
    src = fx.one_sheet_workbook(tmp_path / "rows.xlsx", _part())
    book = fastbook.read(src)
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(SHEET)
    at = info.header_offset + 30 + len(SHEET) + len(info.extra) + info.compress_size - 100
    data[at] ^= 0xFF
    src.write_bytes(bytes(data))
    out = tmp_path / "out" / "out.xlsx"
    out.parent.mkdir()
    with pytest.raises(zipfile.BadZipFile, match=r"^Bad CRC-32 for file 'xl/worksheets/sheet1\.xml'$"):
        write_values(src, out, {("S", "B1"): 4}, parsed=book.parts, lean=book.lean)
    assert list(out.parent.iterdir()) == []
    with pytest.raises(UnsafeWorkbook, match=r"^not an Excel workbook: xl/worksheets/sheet1\.xml cannot be read"):
        check(src)


def test_a_streamed_part_not_where_the_reader_saw_it_is_written_from_its_whole_tree(tmp_path, small_chunks):
    """The writer finds the sheetData elsewhere than the reader said (here: told a wrong place) once
    it has started writing the zip: it starts again with the part edited whole, the same bytes."""
    src = fx.one_sheet_workbook(tmp_path / "rows.xlsx", _part())
    book = fastbook.read(src)
    held, tree = book.parts[SHEET]
    assert isinstance(held, part_stream.SourcePart)
    book.parts[SHEET] = (dataclasses.replace(held, inside=(held.inside[0] + 1, held.inside[1])), tree)
    out = tmp_path / "out.xlsx"
    write_values(src, out, {("S", "B1"): 4}, parsed=book.parts, lean=book.lean)
    assert fx.sheet_part(out) == _part().replace(b"<f>A1*2</f>", b"<f>A1*2</f><v>4</v>")
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None and zf.namelist() == zipfile.ZipFile(src).namelist()


def _formula_rows(first: int, last: int) -> bytes:
    """Rows of a value, A = r * 7919 mod 100003, and a formula (they deflate about five times, less
    than part_stream._DENSE; empty rows 16 times)."""
    return b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><f>A%d*%d+SUM(A1:A%d)</f></c></row>'
                    % (r, r, r * 7919 % 100003, r, r, r % 97, r) for r in range(first, last + 1))


def _sheet_of(rows: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="' + NS.encode()
            + b'"><sheetData>' + rows + b"</sheetData></worksheet>")


def _fed(monkeypatch) -> list[int]:
    """The sizes of the chunks LeanReader is fed from now on."""
    fed: list[int] = []
    feed = LeanReader.feed
    monkeypatch.setattr(LeanReader, "feed",
                        lambda self, chunk, *told: fed.append(len(chunk)) or feed(self, chunk, *told))
    return fed


def test_a_sheet_of_formulas_is_left_whole_after_its_first_chunk(tmp_path, monkeypatch):
    part = _sheet_of(_formula_rows(1, 30_000))
    assert len(part) > 2 * part_stream.CHUNK
    path = fx.one_sheet_workbook(tmp_path / "f.xlsx", part)
    with zipfile.ZipFile(path) as zf:  # as the heuristic sees it
        assert zf.getinfo(SHEET).file_size < 8 * zf.getinfo(SHEET).compress_size
    fed = _fed(monkeypatch)
    book = fastbook.read(path)
    assert fed == [1 << 18]  # a quarter megabyte, not fed on to half the part
    assert book.lean == set() and book.parts[SHEET][1] is None  # read by cell_scan
    values, formulas = book.values["S"], book.formulas["S"]
    assert len(values) == len(formulas) == 30_000
    assert values["A1"] == 7919 and values["A30000"] == 30_000 * 7919 % 100003
    assert formulas[-1] == ("B30000", "", "", "", f"A30000*{30_000 % 97}+SUM(A1:A30000)")


def test_formulas_first_then_many_empty_rows_are_still_read_lean(tmp_path, monkeypatch):
    """The first chunk is nearly all formulas here too, but empty rows deflate far better: the part is
    read lean, a chunk at a time, the empty rows left out."""
    empty = b"".join(b'<row r="%d" ht="15" customHeight="1"/>' % r for r in range(30_001, 300_001))
    part = _sheet_of(_formula_rows(1, 30_000) + empty)
    path = fx.one_sheet_workbook(tmp_path / "e.xlsx", part)
    fed = _fed(monkeypatch)
    book = fastbook.read(path)
    assert len(fed) == -(-len(part) // part_stream.CHUNK)  # every chunk
    assert book.lean == {SHEET}
    assert len(book.formulas["S"]) == 30_000 and book.values["S"]["A30000"] == 30_000 * 7919 % 100003


def test_the_guard_leaves_a_sheet_of_formulas_whole_after_its_first_chunk(tmp_path, monkeypatch):
    """The guard splits big parts for the reader as it counts them: it too stops feeding the lean
    reader once the first quarter megabyte shows a sheet of formulas, and the reader scans the part whole."""

    part = _sheet_of(_formula_rows(1, 30_000))
    path = fx.one_sheet_workbook(tmp_path / "f.xlsx", part)
    fed = _fed(monkeypatch)
    zf, _warnings = checked(path)
    with zf:
        # fed a quarter megabyte, as the reader's own pass is, then left whole
        assert fed == [1 << 18] and zf.leans[SHEET] is None
        book = fastbook.read(zf)
        assert len(fed) == 1  # the reader did not stream it again
    assert book.lean == set() and book.parts[SHEET][1] is None
    assert book.values["S"]["A30000"] == 30_000 * 7919 % 100003 and len(book.formulas["S"]) == 30_000


def test_the_guard_still_splits_formulas_then_empty_rows(tmp_path, monkeypatch):

    empty = b"".join(b'<row r="%d" ht="15" customHeight="1"/>' % r for r in range(30_001, 300_001))
    part = _sheet_of(_formula_rows(1, 30_000) + empty)
    path = fx.one_sheet_workbook(tmp_path / "e.xlsx", part)
    fed = _fed(monkeypatch)
    zf, _warnings = checked(path)
    with zf:
        assert zf.leans[SHEET] is not None
        chunks = len(fed)
        book = fastbook.read(zf)
        assert len(fed) == chunks  # the guard's split taken as it is
    assert chunks >= 2 and book.lean == {SHEET}
    assert len(book.formulas["S"]) == 30_000
