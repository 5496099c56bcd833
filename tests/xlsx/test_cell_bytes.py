"""Cached values written into lxml's bytes of a sheetData (roi_xl.xlsx.cell_bytes): the same bytes as
the tree edit writes (SheetEdit with cell_bytes turned off), and None, so the tree edits, whenever a
listed cell is not plainly there."""
from __future__ import annotations

import itertools

import pytest
from lxml import etree

from roi_xl.excel import XlError
from roi_xl.xlsx import sheet_edit
from roi_xl.xlsx.cell_bytes import write_cells, write_part
from roi_xl.xlsx.sheet_edit import SheetEdit
from roi_xl.xlsx.writer import by_reference, positions


def _by_position(values: dict) -> dict:
    """Sheet S's edits of {"B7": value}, keyed (row, column) as the tree edit takes them."""
    return positions(by_reference({("S", ref): v for ref, v in values.items()})["S"])

HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')

# The forms a formula cell comes in (openpyxl's empty <v/>, Excel's cm/vm of a dynamic array, a
# shared formula's dependent <f/>) and the values a formula gives.
FORMS = ['<c r="{r}"><f>1+1</f></c>', '<c r="{r}"><f>1+1</f><v/></c>', '<c r="{r}" s="2"><f>A9</f><v>7</v></c>',
         '<c r="{r}" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>', '<c r="{r}" s="1" t="e" cm="1" vm="1">'
         '<f t="array" ref="{r}">SEQUENCE(0)</f><v>#VALUE!</v></c>',
         '<c r="{r}" t="b"><f t="shared" si="0"/><v>1</v></c>']
VALUES = [2, 0.1, -1e-300, None, True, False, "", "x  ", 'a&b<c>d\re"f\tg\nh é 𝄞', "_x0001_", "\x01", XlError.NA,
          XlError.SPILL, float("nan")]


def written(xml: str, values: dict, *, tree: bool = False, monkeypatch=None) -> bytes:
    original = xml.encode()
    sheet = SheetEdit(original, "sheet.xml")
    if tree:
        monkeypatch.setattr(sheet_edit, "write_cells", lambda fragment, cells: None)
    sheet.apply(_by_position(values), False)
    return sheet.to_bytes(original)


def _form_sheet(form: str) -> tuple[str, dict]:
    """A sheet of VALUES' cells written in `form`, five a row, and a shared-string cell after them."""
    refs = [f"{col}{row}" for row, col in itertools.product(range(1, 4), "ABCDE")][:len(VALUES)]
    rows: dict[int, list[str]] = {}
    for ref in refs:
        rows.setdefault(int(ref[1:]), []).append(form.format(r=ref))
    xml = HEAD + "<sheetData>" + "".join(f'<row r="{n}">{"".join(cells)}</row>' for n, cells in rows.items()) \
        + '<row r="9"><c r="A9" t="s"><v>0</v></c></row></sheetData></worksheet>'
    return xml, dict(zip(refs, VALUES))


@pytest.mark.parametrize("form", FORMS)
def test_same_bytes_as_the_tree_edit(form, monkeypatch):
    xml, values = _form_sheet(form)
    sheet = SheetEdit(xml.encode(), "sheet.xml")
    fragment = etree.tostring(sheet.sheet_data, encoding="UTF-8")
    assert write_cells(fragment, _by_position(values)) is not None
    fast = written(xml, values)
    assert fast == written(xml, values, tree=True, monkeypatch=monkeypatch)
    assert b"<v>a&amp;b&lt;c&gt;d&#13;e\"f\tg\nh \xc3\xa9 \xf0\x9d\x84\x9e</v>" in fast  # as lxml escapes text
    assert b"vm=" not in fast


def test_the_usual_cell_written_by_hand():
    frag = (b'<sheetData xmlns="m"><row r="3" spans="1:4"><c r="A3" s="5"><f>1+1</f></c>'
            b'<c r="B3" t="s"><v>0</v></c><c r="C3" t="str" cm="1"><f>"x"</f><v>x</v></c>'
            b'<c r="D3"><f>Z1</f><v>4</v></c></row></sheetData>')
    out = write_cells(frag, {(3, 1): ("str", "a<b", "a<b"), (3, 3): (None, "2.5", 2.5), (3, 4): (None, None, None)})
    assert out == (b'<sheetData xmlns="m"><row r="3" spans="1:4"><c r="A3" s="5" t="str"><f>1+1</f><v>a&lt;b</v></c>'
                   b'<c r="B3" t="s"><v>0</v></c><c r="C3" cm="1"><f>"x"</f><v>2.5</v></c>'
                   b'<c r="D3"><f>Z1</f></c></row></sheetData>')


@pytest.mark.parametrize("xml", [
    '<row r="1"><c><f>1</f></c><c r="B1"><f>2</f></c></row>',                 # a cell numbered by counting
    '<row><c r="A1"><f>1</f></c><c r="B1"><f>2</f></c></row>',                # a row numbered by counting
    '<row r="1"><c r="A1"><f>1</f></c><c r="B2"><f>2</f></c></row>',          # a cell out of its row
    '<row r="1"><c r="A1"><f>1</f></c><c r="B1"><f>2</f></c><c r="B1"><f>3</f></c></row>',  # twice
    '<row r="1"><c r="a1"><f>1</f></c><c r="B1"><f>2</f></c></row>',          # lower case
    '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1"><f>2</f></c></row>',  # listed, not plain
    '<row r="1"><c r="A1" ph="1"><f>1</f></c><c r="B1"><f>2</f></c></row>',   # an attribute it does not write
    '<row r="1"><c r="B1"><f>2</f></c></row>',                                # a listed cell missing
])
def test_anything_unusual_is_left_to_the_tree(xml, monkeypatch):
    sheet = HEAD + "<sheetData>" + xml + "</sheetData></worksheet>"
    values = {"A1": 10, "B1": "t"}
    fragment = sheet[sheet.index("<sheetData>"):sheet.index("</worksheet>")].encode()
    assert write_cells(fragment, _by_position(values)) is None
    assert written(sheet, values) == written(sheet, values, tree=True, monkeypatch=monkeypatch)


def test_prefixed_sheet_is_left_to_the_tree():
    xml = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
           '<x:row r="1"><x:c r="A1"><x:f>1</x:f></x:c></x:row></x:sheetData></x:worksheet>')
    assert b'<x:c r="A1"><x:f>1</x:f><x:v>3</x:v></x:c>' in written(xml, {"A1": 3})


# --------------------------------------------------------------------------- a scanned part's own bytes

def part_written(xml: str, values: dict) -> bytes | None:
    return write_part(xml.encode(), by_reference({("S", ref): v for ref, v in values.items()})["S"])


def tree_written(xml: str, values: dict, monkeypatch) -> bytes:
    return written(xml, values, tree=True, monkeypatch=monkeypatch)


def c14n(data: bytes) -> bytes:
    return etree.tostring(etree.fromstring(data), method="c14n")


def test_a_scanned_part_keeps_its_own_bytes_but_the_listed_values():
    # Worked out by hand: every byte stays but the listed formula cells' t, vm and <v>; the unlisted
    # formula (B2) keeps openpyxl's <v></v>, the raw ">" and the entities in formulas and strings stay
    # as written, the whitespace between rows and before a start tag's ">" too.
    xml = (HEAD + '<sheetData>\n  <row r="1" spans="1:3"><c r="A1" s="4" t="inlineStr"><is><t>a &amp; b</t></is></c>'
           '<c r="B1" s="2"><f>IF(A1&gt;"",1,2)</f><v></v></c><c r="C1" t="e" cm="1" vm="1" ph="1" >'
           '<f t="array" ref="C1">SEQUENCE(0)</f><v>#VALUE!</v></c></row>\n'
           '  <row r="2"><c r="A2" t="str"><f>"x"&amp;"&lt;"</f><v/></c><c r="B2"><f>A1>0</f><v></v></c>'
           '<c r="C2" t="b"><f t="shared" si="0"/><v>1</v></c></row>\n</sheetData></worksheet>')
    out = part_written(xml, {"B1": 'a&b<c>"d\re', "C1": 3, "A2": None, "C2": XlError.NA})
    assert out == (HEAD + '<sheetData>\n  <row r="1" spans="1:3"><c r="A1" s="4" t="inlineStr"><is><t>a &amp; b</t>'
                   '</is></c><c r="B1" s="2" t="str"><f>IF(A1&gt;"",1,2)</f><v>a&amp;b&lt;c&gt;"d&#13;e</v></c>'
                   '<c r="C1" cm="1" ph="1" ><f t="array" ref="C1">SEQUENCE(0)</f><v>3</v></c></row>\n'
                   '  <row r="2"><c r="A2"><f>"x"&amp;"&lt;"</f></c><c r="B2"><f>A1>0</f><v></v></c>'
                   '<c r="C2" t="e"><f t="shared" si="0"/><v>#N/A</v></c></row>\n</sheetData></worksheet>').encode()


@pytest.mark.parametrize("form", FORMS)
def test_a_scanned_part_gets_the_cells_the_tree_edit_makes(form, monkeypatch):
    xml, values = _form_sheet(form)
    out = part_written(xml, values)
    assert out is not None
    assert c14n(out) == c14n(tree_written(xml, values, monkeypatch))


@pytest.mark.parametrize("rows", [
    '<row r="1"><c r="B1"><f>2</f></c></row>',                                          # A1 missing
    '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>2</f></c></row>',                    # A1 no formula
    '<row r="1"><c r="A2"><f>1</f></c><c r="B1"><f>2</f></c></row><row r="2"><c r="A1"><f>1</f></c></row>',
    '<row r="1"><c r="A1"><f>1</f></c><c r="B1"><f>2</f></c><c r="B9"><v>2</v></c></row>',  # B9 in row 1
    '<row r="1"><c r="A1"><f>1</f></c><c r="B1"><v>2</v></c><c r="B1"><f>2</f></c></row>',  # B1 twice
    '<row r="1"><c r="A1"><f>1</f></c><c r="B1"><f>2</f></c></row><row r="1"><c r="C1"><v>3</v></c></row>',
    '<row r="1"><c r="A1"><f>1</f></c><c r="B1"><f>2</f></c></row><row r="01"/>',       # row 1 again
    '<row r="1"><c r="A1"><f>1</f><v xml:space="preserve"> 1</v></c><c r="B1"><f>2</f></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><f>1</f><is><t>x</t></is></c><c r="B1"><f>2</f></c></row>',
    '<row r="1"><c r="A1" vm="1" s="2"><f>1</f></c><c r="B1"><f>2</f></c></row>',      # out of order
])
def test_what_a_scanned_part_does_not_plainly_hold_is_left_to_the_tree(rows):
    xml = HEAD + "<sheetData>" + rows + "</sheetData></worksheet>"
    assert part_written(xml, {"A1": 10, "B1": "t"}) is None


@pytest.mark.parametrize("xml", [
    HEAD.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"') + '<sheetData><row r="1"><c r="A1"><f>1</f></c>'
    '</row></sheetData></worksheet>',
    '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
    '<x:row r="1"><x:c r="A1"><x:f>1</x:f></x:c></x:row></x:sheetData></x:worksheet>',
])
def test_a_part_not_in_utf8_or_prefixed_is_left_to_the_tree(xml):
    assert part_written(xml, {"A1": 10}) is None
