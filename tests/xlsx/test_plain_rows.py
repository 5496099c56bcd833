"""Big sheets of plain rows (numbers, shared strings, booleans, errors): the fast reader reads those rows
from the part's bytes and keeps in its tree only the rows the writer or the engine's facts need (formulas,
inline strings, hidden rows, anything written another way), so a million values cost their dict entries,
not a tree. Values are checked against openpyxl's reading of the same files and against sums worked out
here from the numbers written."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

import roi_xl
from roi_xl.engine import fastbook
from roi_xl.excel import XlError
from roi_xl.xlsx import lean
from roi_xl.xlsx.read import Book
from roi_xl.xlsx.read import read as read_book
from roi_xl.xlsx.writer import write_values

from tests.support.workbook_fixtures import add_shared_strings

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS = ["apple", "pear & plum", "  spaced  "]
ROWS = 12_000  # ~1.3 MB of plain rows: past lean_sheet's 1 MB


def _package(path: Path, sheets: list[tuple[str, str]]) -> Path:
    """A workbook of (name, sheetData inside) sheets: openpyxl writes the package with a style 1 of
    two decimals, then each sheet part is ours, and STRINGS the shared strings."""
    wb = openpyxl.Workbook()
    for i, (name, _) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
    first = wb[sheets[0][0]]
    first["B1"] = 1.5
    first["B1"].number_format = "0.00"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    add_shared_strings(parts, STRINGS, preserve=True)  # this openpyxl writes strings inline
    for i, (_, data) in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}" '
            f'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
            f'<sheetData>{data}</sheetData></worksheet>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _number(r: int) -> int:
    return (r * 37) % 1000


def _data_rows(rows: int = ROWS, odd: str = "", row: int = 2) -> str:
    """Plain rows in every form Excel and openpyxl write: a number (A), its half as a decimal (B), a
    shared string (C), a boolean (D), an error (E), a styled blank (F) and a scientific number (G);
    `odd` is put in as row `row`."""
    out = []
    for r in range(1, rows + 1):
        if r == row and odd:
            out.append(odd)
            continue
        out.append(f'<row r="{r}" spans="1:7" x14ac:dyDescent="0.25">'
                   f'<c r="A{r}" s="1"><v>{_number(r)}</v></c><c r="B{r}"><v>{_number(r) / 2}</v></c>'
                   f'<c r="C{r}" t="s"><v>{r % 3}</v></c><c r="D{r}" t="b"><v>{r % 2}</v></c>'
                   f'<c r="E{r}" t="e"><v>#N/A</v></c><c r="F{r}" s="1"/><c r="G{r}"><v>1.5E-3</v></c></row>')
    return "".join(out)


def _openpyxl_values(path: Path, sheet: str) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row
            if c.value is not None and c.data_type != "f"}


def _ours(values: dict[str, object]) -> dict[str, object]:
    return {k: (str(v) if isinstance(v, XlError) else v) for k, v in values.items()}


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    calc = ('<row r="1"><c r="A1"><f>SUM(Data!A1:A12000)</f></c><c r="B1"><f>COUNTIF(Data!C1:C12000,"apple")</f></c>'
            '<c r="C1"><f>SUM(Data!B1:B12000)</f></c></row>')
    formula_row = (f'<row r="7"><c r="A7"><v>{_number(7)}</v></c><c r="B7"><f>A7*2</f></c>'
                   f'<c r="C7" t="inlineStr"><is><t>typed</t></is></c></row>')
    data = _data_rows(odd=formula_row, row=7)
    return _package(tmp_path_factory.mktemp("plain") / "big.xlsx", [("Data", data), ("Calc", calc)])


def test_plain_rows_read_as_openpyxl_reads_them_and_only_the_formula_row_is_in_the_tree(big):
    book = fastbook.read(big)
    assert book.lean == {"xl/worksheets/sheet1.xml"}
    rows = book.parts["xl/worksheets/sheet1.xml"][1].getroot().findall(f".//{{{NS}}}row")
    assert [row.get("r") for row in rows] == ["7"]  # the row with a formula and an inline string
    values = book.values["Data"]
    assert _ours(values) == _openpyxl_values(big, "Data")
    assert values["A5"] == 185 and type(values["A5"]) is int           # 5 * 37
    assert values["B5"] == 92.5 and values["G5"] == 0.0015
    assert values["C4"] == "pear & plum" and values["C5"] == "  spaced  " and values["C6"] == "apple"
    assert values["D5"] is True and values["D6"] is False
    assert values["E5"] is XlError.NA
    assert values["C7"] == "typed" and ("Data", "B7") in book.formula_cells
    assert "F5" not in values and book.styles_of("Data")["A5"] == "1" and "B5" not in book.styles_of("Data")


def test_the_plain_and_the_whole_reading_agree_cell_for_cell_in_order(big, monkeypatch):
    lean_book = fastbook.read(big)
    monkeypatch.setattr(lean, "_LEAN_FROM", 1 << 40)
    whole = fastbook.read(big)
    assert whole.lean == set()
    for sheet in ("Data", "Calc"):
        assert list(lean_book.values[sheet].items()) == list(whole.values[sheet].items())
        assert lean_book.styles_of(sheet) == whole.styles_of(sheet)
    assert lean_book.formula_cells == whole.formula_cells
    assert lean_book.key == whole.key


def test_a_big_sheet_recalculates_and_keeps_its_plain_rows_byte_for_byte(big, tmp_path):
    out = tmp_path / "out.xlsx"
    result = roi_xl.recalc(big, out)
    numbers = [_number(r) for r in range(1, ROWS + 1)]
    assert result["Calc!A1"] == sum(numbers)
    assert result["Calc!B1"] == sum(1 for r in range(1, ROWS + 1) if r % 3 == 0)  # "apple": index 0
    # B7 is a formula: A7*2
    assert result["Calc!C1"] == pytest.approx(sum(n / 2 for n in numbers) - _number(7) / 2 + _number(7) * 2)
    assert result["Data!B7"] == _number(7) * 2
    with zipfile.ZipFile(big) as zin, zipfile.ZipFile(out) as zout:
        before, after = zin.read("xl/worksheets/sheet1.xml"), zout.read("xl/worksheets/sheet1.xml")
    cut = before.index(b'<row r="7"')
    assert after[:cut] == before[:cut]  # everything before the edited row, byte for byte
    rest = before.index(b'<row r="8"')
    assert after.endswith(before[rest:])  # and everything after it
    reopened = openpyxl.load_workbook(out, data_only=True)
    assert reopened["Data"]["B7"].value == _number(7) * 2
    assert reopened["Data"]["A11999"].value == _number(11999)


def test_a_value_written_into_a_plain_row_parses_the_whole_part(big, tmp_path):
    book = fastbook.read(big)
    out = tmp_path / "typed.xlsx"
    write_values(big, out, {("Data", "H5"): 42.5}, parsed=book.parts, lean=book.lean)
    ws = openpyxl.load_workbook(out)["Data"]
    assert ws["H5"].value == 42.5 and ws["A5"].value == 185 and ws["C4"].value == "pear & plum"
    assert ws["A12000"].value == _number(12000)


def _odd_book(tmp_path: Path, odd: str) -> fastbook.FastBook:
    return fastbook.read(_package(tmp_path / "odd.xlsx", [("Data", _data_rows(odd=odd))]))


@pytest.mark.parametrize("odd, why", [
    ('<row r="2" hidden="1"><c r="A2"><v>74</v></c></row>', "a hidden row"),
    ('<row r="2"><c r="A2" t="str"><v>74</v></c></row>', "a text a formula left"),
    ('<row r="2"><c r="A2"><v>7&#52;</v></c></row>', "a character reference"),
    ('<row r="2" xmlns:y="urn:y"><c r="A2"><v>74</v></c></row>', "a namespace declared"),
    ('<row r="2"><c r="A2"><v>74</v><extLst/></c></row>', "an element the form lacks"),
])
def test_rows_written_another_way_stay_in_the_tree(tmp_path, odd, why):
    book = _odd_book(tmp_path, odd)
    assert book.lean == {"xl/worksheets/sheet1.xml"}, why
    rows = book.parts["xl/worksheets/sheet1.xml"][1].getroot().findall(f".//{{{NS}}}row")
    assert [row.get("r") for row in rows] == ["2"], why
    assert book.values["Data"]["A2"] in (74, "74"), why
    assert book.values["Data"]["A3"] == _number(3) and book.values["Data"]["C3"] == "apple", why


@pytest.mark.parametrize("odd, why", [
    ("<!-- a note -->", "a comment among the rows"),
    ('<row r="2"><c r="A2"><v>74</v></c></row><foo xmlns="urn:x"><row r="99"/></foo>', "an element among the rows"),
    ('<row><c r="A2"><v>74</v></c></row>', "a row without its number"),
])
def test_sheets_the_scan_cannot_be_sure_of_are_parsed_whole(tmp_path, odd, why):
    book = _odd_book(tmp_path, odd)
    assert book.lean == set(), why
    assert book.values["Data"]["A3"] == _number(3) and book.values["Data"]["A12000"] == _number(12000), why


def test_a_sheet_in_another_namespace_is_read_as_before(tmp_path):
    """Strict Open XML's namespace: the fast reader sees no cells there, from bytes or tree alike."""
    path = tmp_path / "strict.xlsx"
    _package(path, [("Data", _data_rows())])
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        NS.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    book = fastbook.read(path)
    assert book.values["Data"] == {}


def test_plain_rows_before_the_first_kept_row_are_read_as_they_come_not_kept(big):
    """Rows 1 to 6 of the big sheet are plain and come before the formula row 7: handed over as the
    part streams; the rows after row 7 are kept as bytes until the tree is parsed."""
    with zipfile.ZipFile(big) as zf:
        part = zf.read("xl/worksheets/sheet1.xml")
    taken: list[bytes] = []
    reader = lean.LeanReader(len(part), lambda data, start, end: taken.append(bytes(data[start:end])))
    assert reader.feed(part)
    sheet = reader.finish()
    assert sheet is not None
    assert [row[:len('<row r="1"')] for row in taken] == [b'<row r="%d"' % r for r in range(1, 7)]
    assert sheet.rows[0] == b"7" and len(sheet.rows) == ROWS - 6  # row 7 in the tree, then the plain ones
    assert bytes(sheet.source).startswith(b'<row r="8"')
    assert [cell[0] for cell in lean.row_cells(taken[4], 0, len(taken[4]))] == [b"A5", b"B5", b"C5", b"D5",
                                                                              b"E5", b"F5", b"G5"]


def test_rows_read_as_they_came_from_a_part_then_refused_are_read_once(tmp_path, monkeypatch):
    """3,000 plain rows, then formula rows past half the part: the lean reading takes the plain rows,
    then gives up; cell_scan reads the whole part, each cell once, as the whole reading does."""
    formulas = "".join(f'<row r="{r}"><c r="A{r}"><f>SUM(A1:A{r - 1})*{r}+LEN("{"x" * 40}")</f></c></row>'
                       for r in range(3_001, 12_001))
    path = _package(tmp_path / "refused.xlsx", [("Data", _data_rows(3_000) + formulas)])
    book, parts = read_book(path, Book)
    assert book.lean == set() and book.parts["xl/worksheets/sheet1.xml"][1] is None  # cell_scan's
    monkeypatch.setattr(lean, "_LEAN_FROM", 1 << 40)
    whole, whole_parts = read_book(path, Book)
    assert list(book.values["Data"].items()) == list(whole.values["Data"].items())
    assert parts.sheets[0].filled == whole_parts.sheets[0].filled
    assert len(parts.sheets[0].filled) == 3_000 * 6 + 9_000  # F is a styled blank: not filled
    assert book.values["Data"]["A2999"] == _number(2999) and len(book.formulas["Data"]) == 9_000
    assert book.styles_of("Data") == whole.styles_of("Data") == {f"A{r}": "1" for r in range(1, 3_001)}
