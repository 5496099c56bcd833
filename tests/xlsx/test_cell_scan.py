"""The fast reader reads a sheet's cells from its bytes (cell_scan) when every byte of its sheetData is
in a form it knows, and from the tree otherwise. Expected values are worked out here from the XML
written (and, for the written copy, read back by openpyxl); the forms the scanner leaves to the tree
must read the same as before: the same values, or the same refusal."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from roi_xl.engine import fastbook
from roi_xl.errors import FastReadError, WorkbookError
from roi_xl.excel import XlError
from roi_xl.xlsx import cell_scan
from roi_xl.xlsx.cell_scan import scan
from roi_xl.xlsx.read import Book, read
from roi_xl.xlsx.writer import write_values

from tests.support.workbook_fixtures import add_shared_strings

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PART = "xl/worksheets/sheet1.xml"
STRINGS = ["apple", "pear & plum"]

ROW_1 = ('<row r="1" spans="1:10" x14ac:dyDescent="0.25">'
         '<c r="A1" s="1"><v>42</v></c><c r="B1"><v>2.50</v></c><c r="C1" t="n"><v>1E3</v></c>'
         '<c r="D1" t="s"><v>1</v></c>'
         '<c r="E1" t="inlineStr"><is><t xml:space="preserve"> a &lt;b&gt; </t></is></c>'
         '<c r="F1" t="b"><v>1</v></c><c r="G1" t="e"><v>#DIV/0!</v></c><c r="H1" t="str"><v>x&amp;y</v></c>'
         '<c r="I1" s="1"/><c r="J1" t="d"><v>2024-01-02</v></c></row>')
ROW_2 = ('<row r="2" hidden="1"><c r="A2"><f>A1&gt;40</f><v>1</v></c>'
         '<c r="B2" t="str" cm="1"><f t="array" ref="B2:B3">TRANSPOSE(A1:A2)</f><v>x</v></c>'
         '<c r="C2" s="1"><f t="shared" ref="C2:C3" si="0">A2*2</f><v/></c></row>')
ROW_3 = '<row r="3"><c r="C3" s="1"><f t="shared" si="0"/><v></v></c><c r="D3"><v></v></c></row>'
ROW_4 = '<row r="4" ht="20" customHeight="1"/>'

VALUES = {"A1": 42, "B1": 2.5, "C1": 1000.0, "D1": "pear & plum", "E1": " a <b> ", "F1": True,
          "G1": XlError.DIV0, "H1": "x&y", "J1": 45293}  # 2024-01-02: 2024-01-01 is serial 45292
FORMULAS = [("A2", "", "", "", "A1>40"), ("B2", "array", "B2:B3", "", "TRANSPOSE(A1:A2)"),
            ("C2", "shared", "C2:C3", "0", "A2*2"), ("C3", "shared", "", "0", "")]
FILLED = ["A1", "B1", "C1", "D1", "E1", "F1", "G1", "H1", "J1", "A2", "B2", "C2", "C3", "D3"]


def _sheet(inside: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}" '
            f'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><dimension ref="A1:J4"/>'
            f'<sheetData>{inside}</sheetData><autoFilter ref="A1:J4"><filterColumn colId="0"/></autoFilter>'
            f'</worksheet>').encode()


def _scanned(data: bytes) -> bool:
    """Whether cell_scan reads every cell of the part (else the tree reads them)."""
    scanned = scan(data)
    if scanned is None:
        return False
    for chunk in scanned.chunks():
        for _ in chunk:
            pass
    return scanned.complete


def _package(path: Path, inside: str) -> Path:
    """A workbook of one sheet "S" whose sheetData holds `inside`, with STRINGS as shared strings
    and a cell style 1 (openpyxl writes it for a number format)."""
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active["A1"].number_format = "0.00"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    add_shared_strings(parts, STRINGS)
    parts[PART] = _sheet(inside)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def test_scanned_cells_read_as_written(tmp_path):
    inside = ROW_1 + ROW_2 + ROW_3 + ROW_4
    assert _scanned(_sheet(inside))  # read from the bytes, not the tree
    book = fastbook.read(_package(tmp_path / "s.xlsx", inside))
    assert book.parts[PART][1] is None  # no tree until the writer needs one
    assert book.values["S"] == VALUES
    assert [type(book.values["S"][ref]) for ref in ("A1", "B1", "C1")] == [int, float, float]
    assert "S" not in book.styles  # read from the bytes again when asked: only the summary asks
    assert book.styles_of("S") == {"A1": "1", "C2": "1", "C3": "1"}  # I1 is styled but blank
    assert [book.number_format("S", ref) for ref in ("A1", "B1", "I1")] == ["0.00", "General", "General"]
    assert book.formulas["S"] == FORMULAS
    assert book.formula_cells == [("S", ref) for ref, *_ in FORMULAS]
    facts = fastbook.facts(book)
    assert facts.hidden_rows == {"S": {2}}
    assert facts.filters == {"S": ["A1:J4"]}
    assert facts.formulas[("S", "C3")] == "=A3*2"  # the shared formula moved down a row
    assert facts.arrays == {("S", "B2"): "B2:B3"}


def test_scanned_part_written_by_the_writer(tmp_path):
    """The writer writes the values into a scanned part's own bytes: only the listed cells' t and <v>
    change (the unlisted D3's <v></v> stays, where the tree edit writes <v/>), the same XML as the
    tree edit's, and the values land (openpyxl reads them back)."""
    src = _package(tmp_path / "s.xlsx", ROW_1 + ROW_2 + ROW_3 + ROW_4)
    book = fastbook.read(src)
    values = {("S", "A2"): True, ("S", "B2"): "y", ("S", "C2"): 84, ("S", "C3"): 0}
    write_values(src, tmp_path / "a.xlsx", values, parsed=book.parts)
    write_values(src, tmp_path / "b.xlsx", values)
    with zipfile.ZipFile(tmp_path / "a.xlsx") as a, zipfile.ZipFile(tmp_path / "b.xlsx") as b:
        assert a.read(PART) == _sheet(
            ROW_1 + ROW_2.replace('<c r="A2"><f>A1&gt;40</f><v>1</v>', '<c r="A2" t="b"><f>A1&gt;40</f><v>1</v>')
            .replace("TRANSPOSE(A1:A2)</f><v>x</v>", "TRANSPOSE(A1:A2)</f><v>y</v>").replace("<v/>", "<v>84</v>")
            + ROW_3.replace('si="0"/><v></v>', 'si="0"/><v>0</v>') + ROW_4)
        assert etree.tostring(etree.fromstring(a.read(PART)), method="c14n") == \
            etree.tostring(etree.fromstring(b.read(PART)), method="c14n")
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx", data_only=True)["S"]
    assert [ws[ref].value for ref in ("A2", "B2", "C2", "C3", "A1", "D1")] == [True, "y", 84, 0, 42, "pear & plum"]


def _row_3(cells: str) -> str:
    return ROW_1 + ROW_2 + f'<row r="3">{cells}</row>'


# Forms the scanner leaves to the tree, and what the tree reads of row 3 (besides rows 1 and 2).
TREE_READS = [
    ("a comment", _row_3('<!-- note --><c r="D3"><v>7</v></c>'), {"D3": 7}),
    ("a character reference", _row_3('<c r="D3" t="str"><v>a&#13;b</v></c>'), {"D3": "a\rb"}),
    ("CDATA", _row_3('<c r="D3" t="str"><v><![CDATA[x<y]]></v></c>'), {"D3": "x<y"}),
    ("an attribute it does not know", _row_3('<c r="D3" x="1"><v>7</v></c>'), {"D3": 7}),
    ("a lower-case reference", _row_3('<c r="d3"><v>7</v></c>'), {"D3": 7}),
    ("a rich inline string", _row_3('<c r="D3" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>'),
     {"D3": "ab"}),
    ("a raw carriage return", _row_3('<c r="D3" t="str"><v>a\rb</v></c>'), {"D3": "a\nb"}),
    ("a cell outside any row", ROW_1 + ROW_2 + '<c r="D3"><v>7</v></c>', {}),  # the tree's XPath skips it
    ("a row without a number", ROW_1 + ROW_2 + '<row><c r="D3"><v>7</v></c></row>', {"D3": 7}),
    ("a prefixed attribute on <v>", _row_3('<c r="D3"><v x14ac:a="1">7</v></c>'), {"D3": 7}),
    ("a row inside a row", _row_3('<c r="D3"><v>7</v></c><row r="4"><c r="D4"><v>8</v></c></row>'),
     {"D3": 7}),  # the tree's XPath skips the inner row's cells
]


@pytest.mark.parametrize("inside, extra", [case[1:] for case in TREE_READS], ids=[case[0] for case in TREE_READS])
def test_other_forms_read_by_the_tree(tmp_path, inside, extra):
    assert not _scanned(_sheet(inside))
    book = fastbook.read(_package(tmp_path / "t.xlsx", inside))
    assert book.parts[PART][1] is not None
    assert book.values["S"] == {**VALUES, **extra}
    assert book.formulas["S"] == FORMULAS[:3]
    assert book.styles_of("S") == {"A1": "1", "C2": "1"}  # as from the bytes (row 3 unstyled here)


REFUSED = [
    ("a cell past XFD", _row_3('<c r="XFE3"><v>7</v></c>'), WorkbookError, "outside the sheet"),
    ("a row past 1048576", _row_3('<c r="A1048577"><v>7</v></c>'), WorkbookError, "outside the sheet"),
    ("a data table", _row_3('<c r="D3"><f t="dataTable" ref="D3" dt2D="0" dtr="0" r1="A1"/></c>'),
     FastReadError, "data table"),
    ("an unknown type", _row_3('<c r="D3" t="x"><v>7</v></c>'), FastReadError, "unknown cell type"),
    ("an undeclared prefix", _row_3('<c r="D3"><v>7</v></c>').replace('<row r="3">', '<row r="3" y:a="1">'),
     ValueError, "not well-formed"),
    ("an attribute given twice", _row_3("").replace('<row r="3">', '<row r="3" ht="1" ht="2">'),
     ValueError, "not well-formed"),
    ("U+FFFF in a text", _row_3('<c r="D3" t="str"><v>a\uffffb</v></c>'), ValueError, "not well-formed"),
    ('"]]>" in a text', _row_3('<c r="D3" t="str"><v>a]]>b</v></c>'), ValueError, "not well-formed"),
]


@pytest.mark.parametrize("inside, error, message", [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_refusals_unchanged(tmp_path, inside, error, message):
    assert not _scanned(_sheet(inside))
    with pytest.raises(error, match=message):
        fastbook.read(_package(tmp_path / "r.xlsx", inside))


def test_seven_digit_rows_and_three_letters_inside_the_sheet(tmp_path):
    inside = '<row r="1048576"><c r="XFD1048576"><v>1</v></c><c r="AAA1048576"><f>XFD1048576+1</f></c></row>'
    assert _scanned(_sheet(inside))
    book = fastbook.read(_package(tmp_path / "e.xlsx", inside))
    assert book.values["S"] == {"XFD1048576": 1}
    assert book.formulas["S"] == [("AAA1048576", "", "", "", "XFD1048576+1")]


# The sheetData is split a chunk at a time (cell_scan._CHUNK characters, cut where a row starts): with
# a chunk of 1, every row is a chunk of its own, so each case below meets a cut at each row.
@pytest.mark.parametrize("chunk", [1, 60, 1 << 18])
def test_chunks_of_any_size_read_the_same(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(cell_scan, "_CHUNK", chunk)
    inside = ROW_1 + ROW_2 + ROW_3 + ROW_4
    assert _scanned(_sheet(inside))
    book = fastbook.read(_package(tmp_path / "s.xlsx", inside))
    assert book.parts[PART][1] is None
    assert book.values["S"] == VALUES
    assert book.styles_of("S") == {"A1": "1", "C2": "1", "C3": "1"}
    assert book.formulas["S"] == FORMULAS
    assert fastbook.facts(book).hidden_rows == {"S": {2}}


@pytest.mark.parametrize("inside, extra", [case[1:] for case in TREE_READS], ids=[case[0] for case in TREE_READS])
def test_a_form_left_to_the_tree_in_a_later_chunk(tmp_path, monkeypatch, inside, extra):
    """Rows 1 and 2 are read from their chunks before row 3's is not understood: the tree reads the
    whole sheet again, and nothing read from the chunks before stays twice (the formula key holds
    each formula and filled cell once)."""
    monkeypatch.setattr(cell_scan, "_CHUNK", 1)
    assert not _scanned(_sheet(inside))
    path = _package(tmp_path / "t.xlsx", inside)
    book = fastbook.read(path)
    assert book.parts[PART][1] is not None
    assert book.values["S"] == {**VALUES, **extra}
    assert book.formulas["S"] == FORMULAS[:3]
    assert book.formula_cells == [("S", "A2"), ("S", "B2"), ("S", "C2")]
    filled = read(path, Book)[1].sheets[0].filled
    assert filled == FILLED[:12] + list(extra)  # rows 1 and 2 (C3 and D3 of ROW_3 are not in row 3 here)
